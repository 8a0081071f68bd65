// Bundles the bt-run CLI into dist/bt-run.js (one file, no runtime node_modules lookup).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

await build({
  entryPoints: [join(root, "src/cli.ts")],
  outfile: join(root, "dist/bt-run.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  // Some dependencies (chevrotain's lodash-free builds are ESM, but be safe) may call `require`.
  banner: { js: "import { createRequire as __btCreateRequire } from 'node:module'; const require = __btCreateRequire(import.meta.url);" },
});
