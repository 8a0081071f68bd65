// One esbuild configuration for every Node CLI bundle in the repository: ESM for Node 20,
// with `require`, `__filename` and `__dirname` defined for the CommonJS dependencies that use them.
import { build } from "esbuild";

const cjsShims =
  'import { createRequire as __btCreateRequire } from "node:module"; import { fileURLToPath as __btToPath } from "node:url"; ' +
  "const require = __btCreateRequire(import.meta.url); const __filename = __btToPath(import.meta.url); " +
  'const __dirname = __filename.slice(0, __filename.lastIndexOf("/"));';

/**
 * commander requires node:child_process (and with it node:net and node:stream, about 5 ms of a
 * CLI's start-up) for git-style executable subcommands, which no bt CLI has. Its copy is a proxy
 * that loads the module on first use.
 */
const lazyChildProcessForCommander = {
  name: "lazy-child-process-for-commander",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "bt-lazy" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "bt-lazy" }, () => ({
      loader: "js",
      contents: 'let loaded;\nmodule.exports = new Proxy({}, { get: (_, key) => (loaded ??= require("node:child_process"))[key] });\n',
    }));
  },
};

/** Bundles one entry point (`entryPoints` or `stdin`) to `outfile`; extra esbuild options override the defaults. */
export function bundleNode(options) {
  return build({
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
    banner: { js: cjsShims },
    ...options,
    plugins: [lazyChildProcessForCommander, ...(options.plugins ?? [])],
  });
}
