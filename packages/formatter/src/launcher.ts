/**
 * dist/bt-fmt.cjs (CommonJS, so that `bt-fmt` never starts Node's ES module loader): starts
 * the CLI bundle (dist/bt-fmt-bundle.cjs) with a V8 code cache, so that a second run does not
 * compile the bundle's ~0.5 MB of JavaScript again. bin/bt-fmt.js (CommonJS through
 * bin/package.json) and dist/bt-fmt.js (ESM) only load this file.
 *
 * - Node ≥ 22.1: `module.enableCompileCache(dir)`, then `require` the bundle.
 * - Node 20: `vm.Script` with `cachedData`; after the first run, the cache is written with
 *   every function that run compiled (`script.createCachedData()` at exit), atomically
 *   (temporary file + rename). Its name holds the Node version and the bundle's size, mtime
 *   and inode, so a rebuilt bundle never meets a stale cache (V8 itself rejects a cache of
 *   another V8 version or flags).
 *
 * Cache directory: `$BT_FMT_CACHE_DIR`, else `$XDG_CACHE_HOME/bt-fmt`, else `~/.cache/bt-fmt`;
 * `BT_FMT_CACHE_DIR=off` disables it. Any failure of the cache is silent: the CLI then simply
 * compiles from source.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import nodeModule, { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import vm from "node:vm";

/** Built as CommonJS: `__dirname` is dist/. */
const BUNDLE = join(__dirname, "bt-fmt-bundle.cjs");

function cacheDir(): string | undefined {
  const explicit = process.env.BT_FMT_CACHE_DIR;
  if (explicit === "off" || explicit === "0") return undefined;
  if (explicit) return explicit;
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg) return join(xdg, "bt-fmt");
  try {
    const home = homedir();
    return home ? join(home, ".cache", "bt-fmt") : undefined;
  } catch {
    return undefined;
  }
}

type EnableCompileCache = (dir?: string) => unknown;

function launch(): void {
  const dir = cacheDir();
  const enable = (nodeModule as unknown as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
  if (typeof enable === "function") {
    // Node 22+: Node's own compile cache covers modules loaded from here on.
    if (dir) {
      try {
        enable(dir);
      } catch {
        // no cache
      }
    }
    createRequire(BUNDLE)(BUNDLE);
    return;
  }
  runWithCodeCache(dir);
}

function runWithCodeCache(dir: string | undefined): void {
  const source = readFileSync(BUNDLE, "utf8");
  let cacheFile: string | undefined;
  let cachedData: Buffer | undefined;
  if (dir) {
    try {
      const st = statSync(BUNDLE);
      const key = `${process.version}-${process.arch}-${st.size}-${Math.trunc(st.mtimeMs)}-${st.ino}`;
      cacheFile = join(dir, `bt-fmt-${key}.v8cache`);
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapper, { filename: BUNDLE, cachedData });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    const target = cacheFile;
    process.once("exit", () => saveCache(dir as string, target, script));
  }
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  const mod = { exports: {} };
  fn.call(mod.exports, mod.exports, createRequire(BUNDLE), mod, BUNDLE, dirname(BUNDLE));
}

function saveCache(dir: string, file: string, script: vm.Script): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // caches of older builds of the bundle
    for (const name of readdirSync(dir)) {
      if (name.startsWith(`bt-fmt-${process.version}-`) && name.endsWith(".v8cache") && join(dir, name) !== file) {
        rmSync(join(dir, name), { force: true });
      }
    }
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // a cache we cannot write is not an error
  }
}

launch();
