// One esbuild configuration for every Node CLI bundle in the repository: ESM for Node 20,
// with `require`, `__filename` and `__dirname` defined for the CommonJS dependencies that use them.
import { build } from "esbuild";

const cjsShims =
  'import { createRequire as __btCreateRequire } from "node:module"; import { fileURLToPath as __btToPath } from "node:url"; ' +
  "const require = __btCreateRequire(import.meta.url); const __filename = __btToPath(import.meta.url); " +
  'const __dirname = __filename.slice(0, __filename.lastIndexOf("/"));';

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
  });
}
