#!/usr/bin/env node
// Bundles the bt-parse CLI and the benchmark:
//   dist/bt-parse.js  (from src/cli.ts, run through bin/bt-parse.js)
//   dist/bench.js     (from src/bench.ts, `npm run bench`)
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleNode } from "../../../scripts/bundle-node.mjs";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = (contents, sourcefile) => ({ contents, resolveDir: pkgDir, loader: "ts", sourcefile });

await Promise.all([
  bundleNode({ stdin: entry('import { runCli } from "./src/cli.ts";\nrunCli();\n', "bt-parse-entry.ts"), outfile: join(pkgDir, "dist/bt-parse.js") }),
  bundleNode({ stdin: entry('import { runBench } from "./src/bench.ts";\nawait runBench(process.argv.slice(2));\n', "bench-entry.ts"), outfile: join(pkgDir, "dist/bench.js") }),
]);
console.log("built dist/bt-parse.js, dist/bench.js");
