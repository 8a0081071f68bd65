#!/usr/bin/env node
// Bundles with esbuild:
//   dist/index.js   the Prettier plugin (`prettier --plugin prettier-plugin-bpftrace`, src/plugin.ts), self-contained
//   dist/bt-fmt-bundle.cjs  the CLI, one minified CommonJS file; Prettier's small standalone core is
//                   bundled, the full `prettier` package is loaded (require) only to read .prettierrc/
//                   .editorconfig
//   dist/bt-fmt.cjs the CLI's launcher (src/launcher.ts, CommonJS): runs the bundle with a V8 code
//                   cache; bin/bt-fmt.js (CommonJS through bin/package.json) requires it
//   dist/bt-fmt.js  the same launcher for `node dist/bt-fmt.js` (an ES module importing bt-fmt.cjs)
//   dist/bt-fmt.blob a V8 startup snapshot of the bundle (src/snapshot.ts), made by the Node that
//                   runs this build; dist/bt-fmt.blob.node links to that Node. bin/bt-fmt.js
//                   starts from it only while both still hold (see there).
//   dist/bench.js   `npm run bench`
// The command's bundle and the bench's get scripts/prettier-patches.mjs (Prettier code rewritten
// around a slow path of Node 20's V8, computing the same); the plugin runs the user's Prettier.
// Shared esbuild options (ESM for Node 20 with `require`/`__filename` shims): scripts/bundle-node.mjs.
import { spawnSync } from "node:child_process";
import { realpathSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleNode } from "../../../scripts/bundle-node.mjs";
import { prettierPatches } from "./prettier-patches.mjs";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
// Only the bare `prettier` import (full package, used for config resolution) stays external;
// `prettier/standalone` and `prettier/doc` are small and bundled.
const externalPrettier = {
  name: "external-prettier",
  setup(b) {
    b.onResolve({ filter: /^prettier$/ }, (args) => ({ path: args.path, external: true }));
  },
};
const entry = (contents, sourcefile) => ({ contents, resolveDir: pkgDir, loader: "ts", sourcefile });

await Promise.all([
  bundleNode({
    entryPoints: [join(pkgDir, "src/plugin.ts")],
    outfile: join(pkgDir, "dist/index.js"),
    plugins: [externalPrettier],
  }),
  bundleNode({
    // CommonJS so that the launcher can compile it through vm.Script with a code cache;
    // `require`, `__filename` come from the launcher's module wrapper.
    format: "cjs",
    // dependencies' ESM builds (fdir) call createRequire(import.meta.url)
    banner: { js: 'var __bt_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    minify: true,
    define: { __BT_CJS__: "true", "import.meta.url": "__bt_import_meta_url" },
    stdin: entry(
      'import { runCli } from "./src/cli.ts";\nimport { prepareSnapshot } from "./src/snapshot.ts";\nif (!prepareSnapshot(runCli)) void runCli();\n',
      "bt-fmt-entry.ts",
    ),
    outfile: join(pkgDir, "dist/bt-fmt-bundle.cjs"),
    plugins: [externalPrettier, prettierPatches],
  }),
  bundleNode({
    format: "cjs",
    banner: {},
    entryPoints: [join(pkgDir, "src/launcher.ts")],
    outfile: join(pkgDir, "dist/bt-fmt.cjs"),
  }),
  bundleNode({
    stdin: entry('import { runBench } from "./src/bench.ts";\nprocess.exitCode = await runBench(process.argv.slice(2));\n', "bench-entry.ts"),
    outfile: join(pkgDir, "dist/bench.js"),
    plugins: [externalPrettier, prettierPatches],
  }),
]);
await writeFile(join(pkgDir, "dist/bt-fmt.js"), '// bt-fmt as an ES module entry: the launcher is CommonJS.\nimport "./bt-fmt.cjs";\n');
buildSnapshot();
console.log("built dist/index.js, dist/bt-fmt-bundle.cjs, dist/bt-fmt.cjs, dist/bt-fmt.js, dist/bt-fmt.blob, dist/bench.js");

/**
 * dist/bt-fmt.blob from dist/bt-fmt-bundle.cjs. Without it (a Node too old for
 * --build-snapshot, a failed build) bt-fmt still runs, only without the snapshot.
 */
function buildSnapshot() {
  const blob = join(pkgDir, "dist/bt-fmt.blob");
  const tmp = `${blob}.${process.pid}.tmp`;
  for (const f of [blob, `${blob}.node`]) rmSync(f, { force: true });
  const r = spawnSync(process.execPath, ["--snapshot-blob", tmp, "--build-snapshot", join(pkgDir, "dist/bt-fmt-bundle.cjs")], {
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    console.warn(`bt-fmt: no startup snapshot (bt-fmt still works, starting slower):\n${r.stderr || r.error?.message || ""}`);
    return;
  }
  renameSync(tmp, blob);
  symlinkSync(realpathSync(process.execPath), `${blob}.node`);
}
