// Bundles the language server into dist/bt-lsp.js, its lint worker into dist/lint-worker.js and
// its benchmark into dist/bench.js (ESM,
// one file each, Node 20), with the repository's shared esbuild options (scripts/bundle-node.mjs).
// Each file is written under a temporary name and renamed into place: tests rebuild the bundle
// while others run or pack it (scripts/pack-install.test.ts), and must never see half a file.
import { mkdir, rename, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { bundleNode } from "../../../scripts/bundle-node.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

async function bundleAtomically(options) {
  const { outputFiles } = await bundleNode({ ...options, write: false });
  await mkdir(`${root}dist`, { recursive: true });
  for (const file of outputFiles) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    await writeFile(tmp, file.contents);
    await rename(tmp, file.path);
  }
}

await Promise.all([
  bundleAtomically({ entryPoints: [`${root}src/main.ts`], outfile: `${root}dist/bt-lsp.js`, sourcemap: true }),
  bundleAtomically({ entryPoints: [`${root}src/bench.ts`], outfile: `${root}dist/bench.js` }),
  // Loaded by BackgroundLinter from next to bt-lsp.js.
  bundleAtomically({ entryPoints: [`${root}src/lint-worker.ts`], outfile: `${root}dist/lint-worker.js` }),
]);
