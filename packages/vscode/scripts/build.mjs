// Bundles the extension client and the bt language server into out/*.cjs (CommonJS, the format
// VS Code's extension host loads), `vscode` left external.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const production = process.argv.includes("--production");

await build({
  entryPoints: {
    extension: `${root}src/extension.ts`,
    server: `${root}../language-server/src/main.ts`,
  },
  outdir: `${root}out`,
  outExtension: { ".js": ".cjs" },
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["vscode"],
  sourcemap: !production,
  minify: production,
  logLevel: "warning",
});
