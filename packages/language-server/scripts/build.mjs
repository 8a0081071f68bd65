// Bundles the language server into dist/bt-lsp.js (ESM, one file, Node 20).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

await build({
  entryPoints: [`${root}src/main.ts`],
  outfile: `${root}dist/bt-lsp.js`,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  // vscode-languageserver is CommonJS and calls require() for Node built-ins.
  banner: { js: "import { createRequire as __btCreateRequire } from 'node:module'; const require = __btCreateRequire(import.meta.url);" },
});
