// Build-time rewrites of Prettier's bundled code for bt-fmt's own bundles (the command and its
// bench; the Prettier plugin runs in the user's Prettier and is never patched). Each rewrite keeps
// what the code computes and only avoids a slow path of the V8 in Node 20; each is found by a
// pattern, and a Prettier whose code no longer matches is left as it is (bt-fmt then only runs
// slower): `prettier-patches.test.ts` checks that every rewrite still applies to the installed
// Prettier, and what the rewritten code returns.
import { readFile } from "node:fs/promises";

/**
 * Comment attachment decorates each comment with `({...decorate(...), comment, text, …})`. In
 * V8 11 (Node 20) properties added after an object spread take a slow path: about 4 µs per
 * comment, 100 ms of a 3 MB file's formatting with 22,820 comments. The object `decorate`
 * returns is fresh and used nowhere else, so the same properties are set on it directly, in the
 * same order.
 */
const DECORATED_COMMENT =
  /\.map\(\((\w+),(\w+)\)=>\(\{\.\.\.([\w$]+)\((\w+),\1,(\w+)\),comment:\1,text:([\w$]+),options:\5,ast:\4,isLastComment:([\w$]+)\.length-1===\2,placement:void 0\}\)\)/g;

/** A name no minified identifier of Prettier's takes (the arrow's body reads the names captured above). */
const TEMP = "__btDecorated";

/** @type {readonly { name: string, pattern: RegExp, replace: (...groups: string[]) => string }[]} */
export const PRETTIER_PATCHES = [
  {
    name: "decorated comments without an object spread",
    pattern: DECORATED_COMMENT,
    replace: (_match, comment, index, decorate, ast, options, text, comments) =>
      `.map((${comment},${index})=>{const ${TEMP}=${decorate}(${ast},${comment},${options});${TEMP}.comment=${comment};${TEMP}.text=${text};${TEMP}.options=${options};${TEMP}.ast=${ast};${TEMP}.isLastComment=${comments}.length-1===${index};${TEMP}.placement=void 0;return ${TEMP}})`,
  },
];

/**
 * `source` (Prettier's minified standalone build) with every patch applied, and the names of
 * the patches that matched nothing.
 * @param {string} source
 * @returns {{ code: string, missed: string[] }}
 */
export function patchPrettier(source) {
  let code = source;
  const missed = [];
  for (const patch of PRETTIER_PATCHES) {
    let applied = false;
    code = code.replace(patch.pattern, (...args) => {
      applied = true;
      return patch.replace(...args.slice(0, -2));
    });
    if (!applied) missed.push(patch.name);
  }
  return { code, missed };
}

/** An esbuild plugin applying patchPrettier to `prettier/standalone`; a patch that no longer applies is reported once. */
export const prettierPatches = {
  name: "prettier-patches",
  /** @param {import("esbuild").PluginBuild} build */
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]prettier[\\/]standalone\.m?js$/ }, async (args) => {
      const { code, missed } = patchPrettier(await readFile(args.path, "utf8"));
      const warnings = missed.map((name) => ({ text: `Prettier patch "${name}" no longer applies (bt-fmt still works, only slower)` }));
      return { contents: code, loader: "js", warnings };
    });
  },
};
