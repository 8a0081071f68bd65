#!/usr/bin/env node
// Bundles the bt-parse CLI and the benchmark with esbuild:
//   dist/bt-parse.js  (from src/cli.ts, run through bin/bt-parse.js)
//   dist/bench.js     (from src/bench.ts, `npm run bench`)
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
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: 'import { createRequire as __btCreateRequire } from "node:module"; const require = __btCreateRequire(import.meta.url);' },
};

await Promise.all([
  build({
    ...common,
    stdin: { contents: 'import { runCli } from "./src/cli.ts";\nrunCli();\n', resolveDir: pkgDir, loader: "ts", sourcefile: "bt-parse-entry.ts" },
    outfile: join(pkgDir, "dist/bt-parse.js"),
  }),
  build({
    ...common,
    stdin: { contents: 'import { runBench } from "./src/bench.ts";\nawait runBench(process.argv.slice(2));\n', resolveDir: pkgDir, loader: "ts", sourcefile: "bench-entry.ts" },
    outfile: join(pkgDir, "dist/bench.js"),
  }),
]);
console.log("built dist/bt-parse.js, dist/bench.js");
