// Turns the API's OpenAPI document (generated/openapi.json, written by scripts/openapi_document.py, which
// `make frontend` runs with the project's venv) into generated/api.d.ts, the only source of the front
// end's API types. Without the document it says how to make it, rather than build against stale types.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const document = here('../generated/openapi.json');
if (!existsSync(document)) {
  console.error('generated/openapi.json is missing: run `make frontend` (or `.venv/bin/python frontend/scripts/openapi_document.py`).');
  process.exit(1);
}
execFileSync(process.execPath, [here('../node_modules/openapi-typescript/bin/cli.js'), document, '-o', here('../generated/api.d.ts')], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
