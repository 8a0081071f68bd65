#!/usr/bin/env node
// Bundles the bt-lint CLI and the benchmark with esbuild (scripts/bundle-node.mjs):
//   dist/bt-lint.js  (from src/bt-lint.ts, run through bin/bt-lint.js)
//   dist/bench.js    (from src/bench.ts, `npm run bench`)
// Each file is written under a temporary name and renamed into place: tests rebuild the bundle
// while others run or pack it (scripts/pack-install.test.ts), and must never see half a file.
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleNode } from "../../../scripts/bundle-node.mjs";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");

async function bundleAtomically(options) {
  const { outputFiles } = await bundleNode({ ...options, write: false });
  await mkdir(join(pkgDir, "dist"), { recursive: true });
  for (const file of outputFiles) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    await writeFile(tmp, file.contents);
    await rename(tmp, file.path);
  }
}

await Promise.all([
  bundleAtomically({ entryPoints: [join(pkgDir, "src/bt-lint.ts")], outfile: join(pkgDir, "dist/bt-lint.js") }),
  bundleAtomically({ entryPoints: [join(pkgDir, "src/bench.ts")], outfile: join(pkgDir, "dist/bench.js") }),
]);
console.log("built dist/bt-lint.js, dist/bench.js");
