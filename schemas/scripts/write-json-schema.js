// Writes the JSON Schemas generated from the zod schemas into schemas/json/. Run after a schema
// change (`pnpm --filter @spoor/schemas json-schema`); a test fails while the files are stale.
import { writeFileSync } from 'node:fs';
import { buildJsonSchemas } from '../dist/index.js';

for (const [name, schema] of Object.entries(buildJsonSchemas())) {
  const file = new URL(`../json/${name}.schema.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${file.pathname}`);
}
