// Bundles the bt-run CLI into dist/bt-run.js (one file, no runtime node_modules lookup), with the
// repository's shared esbuild options (scripts/bundle-node.mjs).
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { bundleNode } from "../../../scripts/bundle-node.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

await bundleNode({
  entryPoints: [join(root, "src/cli.ts")],
  outfile: join(root, "dist/bt-run.js"),
  sourcemap: true,
});
