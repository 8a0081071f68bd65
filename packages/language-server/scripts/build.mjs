// Bundles the language server into dist/bt-lsp.js and its benchmark into dist/bench.js (ESM,
// one file each, Node 20), with the repository's shared esbuild options (scripts/bundle-node.mjs).
import { fileURLToPath } from "node:url";
import { bundleNode } from "../../../scripts/bundle-node.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

await Promise.all([
  bundleNode({ entryPoints: [`${root}src/main.ts`], outfile: `${root}dist/bt-lsp.js`, sourcemap: true }),
  bundleNode({ entryPoints: [`${root}src/bench.ts`], outfile: `${root}dist/bench.js` }),
]);
