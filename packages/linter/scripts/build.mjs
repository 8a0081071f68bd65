#!/usr/bin/env node
// Bundles the bt-lint CLI and the benchmark with esbuild (scripts/bundle-node.mjs):
//   dist/bt-lint.js  (from src/bt-lint.ts, run through bin/bt-lint.js)
//   dist/bench.js    (from src/bench.ts, `npm run bench`)
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleNode } from "../../../scripts/bundle-node.mjs";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");

await Promise.all([
  bundleNode({ entryPoints: [join(pkgDir, "src/bt-lint.ts")], outfile: join(pkgDir, "dist/bt-lint.js") }),
  bundleNode({ entryPoints: [join(pkgDir, "src/bench.ts")], outfile: join(pkgDir, "dist/bench.js") }),
]);
console.log("built dist/bt-lint.js, dist/bench.js");
