#!/usr/bin/env bash
# Upload frontend/dist and /config.json to the site bucket, then invalidate CloudFront.
# Usage: infra/publish-frontend.sh [stack-name]   (default: virtual-visits; needs AWS credentials)
set -euo pipefail

stack="${1:-virtual-visits}"
region="us-east-1"
root="$(cd "$(dirname "$0")/.." && pwd)"
dist="$root/frontend/dist"

output() {
  aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

[ -f "$dist/index.html" ] || { echo "No $dist/index.html: build the front end first (cd frontend && npm ci && npm run build)." >&2; exit 1; }

bucket="$(output SiteBucketName)"
distribution="$(output DistributionId)"
hosted_ui="$(output HostedUiDomain)"
client_id="$(output WebClientId)"

config="$(mktemp)"
trap 'rm -f "$config"' EXIT
printf '{"auth":"cognito","cognito":{"domain":"https://%s","client_id":"%s","scopes":["openid","email","profile"]}}\n' \
  "$hosted_ui" "$client_id" > "$config"

# Hashed assets can be cached for a year; pages and config must be revalidated on every load.
aws s3 sync "$dist/assets" "s3://$bucket/assets" --region "$region" --delete \
  --cache-control "public, max-age=31536000, immutable"
aws s3 sync "$dist" "s3://$bucket" --region "$region" --delete --exclude "assets/*" --exclude config.json \
  --cache-control "no-cache"
aws s3 cp "$config" "s3://$bucket/config.json" --region "$region" \
  --content-type "application/json" --cache-control "no-cache"
aws cloudfront create-invalidation --distribution-id "$distribution" --paths "/*" --query "Invalidation.Id" --output text
echo "Published to https://$(output AppUrl | sed 's#https://##')"
