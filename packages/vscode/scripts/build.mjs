// Bundles the extension client, the bt language server and bt-run (run by the "Run Script"
// command in a terminal) into out/*.cjs (CommonJS, the format VS Code's extension host loads),
// `vscode` left external.
import { build } from "esbuild";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const production = process.argv.includes("--production");

const result = await build({
  entryPoints: {
    extension: `${root}src/extension.ts`,
    server: `${root}../language-server/src/main.ts`,
    "bt-run": `${root}../runner/src/cli.ts`,
    // The server's lint worker, loaded from next to server.cjs as lint-worker.js (CommonJS here).
    "lint-worker": `${root}../language-server/src/lint-worker.ts`,
  },
  outdir: `${root}out`,
  outExtension: { ".js": ".cjs" },
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["vscode"],
  // ESM dependencies (fdir, via the linter) call createRequire(import.meta.url); give the
  // CommonJS bundle a real value for it.
  define: { "import.meta.url": "__btImportMetaUrl" },
  banner: { js: 'const __btImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  sourcemap: !production,
  minify: production,
  logLevel: "warning",
  write: false,
});

// Write each file under a temporary name and rename it into place, so a test packaging the
// extension while another one runs the bundle never sees half a file.
mkdirSync(`${root}out`, { recursive: true });
for (const file of result.outputFiles) {
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}
