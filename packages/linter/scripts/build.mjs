#!/usr/bin/env node
// Bundles the bt-lint CLI and the benchmark with esbuild:
//   dist/bt-lint.js  (from src/bt-lint.ts, run through bin/bt-lint.js)
//   dist/bench.js    (from src/bench.ts, `npm run bench`)
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  // CommonJS dependencies (write-file-atomic, lilconfig) call require(); give the ESM bundle one.
  banner: { js: 'import { createRequire as __btCreateRequire } from "node:module"; const require = __btCreateRequire(import.meta.url); import { fileURLToPath as __btF } from "node:url"; import { dirname as __btD } from "node:path"; const __filename = __btF(import.meta.url); const __dirname = __btD(__filename);' },
};

await Promise.all([
  build({ ...common, entryPoints: [join(pkgDir, "src/bt-lint.ts")], outfile: join(pkgDir, "dist/bt-lint.js") }),
  build({ ...common, entryPoints: [join(pkgDir, "src/bench.ts")], outfile: join(pkgDir, "dist/bench.js") }),
]);
console.log("built dist/bt-lint.js, dist/bench.js");
