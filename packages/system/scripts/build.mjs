#!/usr/bin/env node
// Bundles the benchmark (dist/bench.js, `npm run bench`) with the repository's esbuild options.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleNode } from "../../../scripts/bundle-node.mjs";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");

await bundleNode({ entryPoints: [join(pkgDir, "src/bench.ts")], outfile: join(pkgDir, "dist/bench.js") });
console.log("built dist/bench.js");
