// Validates an OpenAPI document (docs/openapi.json by default) with a real validator: the
// OpenAPI Initiative's JSON schema of its version, then every $ref resolved. Exit 1 with the
// validator's errors when it is not valid. Run by ctest (openapi_valid).
import { Validator } from "@seriousme/openapi-schema-validator";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? path.join(here, "..", "..", "docs", "openapi.json");
const validator = new Validator();
const result = await validator.validate(file);
if (!result.valid) {
  console.error(`${file}: not a valid OpenAPI document`);
  console.error(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
if (!validator.version.startsWith("3.1")) {
  console.error(`${file}: OpenAPI ${validator.version}, expected 3.1`);
  process.exit(1);
}
try {
  validator.resolveRefs();
} catch (e) {
  console.error(`${file}: a $ref does not resolve: ${e.message}`);
  process.exit(1);
}
console.log(`${file}: valid OpenAPI ${validator.version}`);
