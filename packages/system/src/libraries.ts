/**
 * Where a uprobe/usdt target is on this machine, resolved the way bpftrace does
 * (see `/work/shared/reference/uprobe-syntax-v0.21.md`, checked against libbcc 0.26):
 *   - `/proc/PID/exe` → the link target;
 *   - no wildcard and a `lib` prefix (`libc`, `libssl`) → BCC's `which_so`: the first
 *     `/etc/ld.so.cache` entry whose name starts with `lib<rest>.so` for this machine's ABI;
 *   - otherwise a name without `/` → itself, then `$PATH/<name>`; a path → itself;
 *   - only ELF files qualify.
 */
import { readFileSync, readlinkSync, statSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
import { isElf } from "./elf.ts";

export interface LdCacheEntry {
  /** soname: `libc.so.6`. */
  name: string;
  path: string;
  flags: number;
}

const NEW_MAGIC = "glibc-ld.so.cache1.1";
const OLD_MAGIC = "ld.so-1.7.0";
/** FLAG_ELF_LIBC6 with the architecture bits bcc accepts for this process's ABI. */
const WANTED_FLAGS: Record<string, number[]> = {
  x64: [0x0303],
  arm64: [0x0a03],
  ia32: [0x0003],
  arm: [0x0003, 0x0903],
};

/** Entries of an ld.so.cache file (the "new" format, alone or after an old-format table). */
export function parseLdSoCache(bytes: Buffer): LdCacheEntry[] {
  let base = 0;
  if (bytes.toString("latin1", 0, OLD_MAGIC.length) === OLD_MAGIC) {
    // Old table: magic, u32 count, count × 12-byte entries; the new format follows, 8-byte aligned.
    const n = bytes.readUInt32LE(12);
    base = (16 + n * 12 + 7) & ~7;
  }
  if (bytes.toString("latin1", base, base + NEW_MAGIC.length) !== NEW_MAGIC) throw new Error("not an ld.so.cache (no glibc-ld.so.cache1.1 header)");
  const count = bytes.readUInt32LE(base + 20);
  const entries: LdCacheEntry[] = [];
  const str = (off: number) => {
    const at = base + off;
    const end = bytes.indexOf(0, at);
    return bytes.toString("latin1", at, end < 0 ? bytes.length : end);
  };
  for (let i = 0; i < count; i++) {
    const o = base + 48 + i * 24;
    if (o + 24 > bytes.length) throw new Error("ld.so.cache is truncated");
    entries.push({ flags: bytes.readInt32LE(o), name: str(bytes.readUInt32LE(o + 4)), path: str(bytes.readUInt32LE(o + 8)) });
  }
  return entries;
}

export interface ResolveOptions {
  ldSoCache?: string;
  /** `$PATH` to search for a bare name. */
  pathEnv?: string;
  cwd?: string;
}

export type ResolvedTarget =
  | { ok: true; path: string; via: "path" | "ld.so.cache" | "$PATH" | "/proc/PID/exe" }
  | { ok: false; reason: string };

let cacheMemo: { key: string; entries: LdCacheEntry[] } | undefined;

export function ldSoCacheEntries(file = "/etc/ld.so.cache"): LdCacheEntry[] | undefined {
  let key: string;
  try {
    const st = statSync(file);
    key = `${file}:${st.ino}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
  if (cacheMemo?.key === key) return cacheMemo.entries;
  try {
    const entries = parseLdSoCache(readFileSync(file));
    cacheMemo = { key, entries };
    return entries;
  } catch {
    return undefined;
  }
}

/** BCC's `which_so`: the first cache entry named `lib<name>.so…` for this ABI. */
export function whichSo(name: string, ldSoCache = "/etc/ld.so.cache"): string | undefined {
  const entries = ldSoCacheEntries(ldSoCache);
  if (!entries) return undefined;
  const soname = `lib${name}.so`;
  const wanted = WANTED_FLAGS[process.arch] ?? [];
  return entries.find((e) => e.name.startsWith(soname) && wanted.includes(e.flags))?.path;
}

/** Resolves a uprobe/usdt target without wildcards to one ELF file. */
export function resolveTarget(target: string, options: ResolveOptions = {}): ResolvedTarget {
  const cwd = options.cwd ?? process.cwd();
  const proc = /^\/proc\/(\d+|self)\/exe$/.exec(target);
  if (proc) {
    try {
      return { ok: true, path: readlinkSync(target), via: "/proc/PID/exe" };
    } catch (err) {
      return { ok: false, reason: `${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (no such process, or not allowed)` };
    }
  }
  if (target.startsWith("lib") && !target.includes("/")) {
    const found = whichSo(target.slice(3), options.ldSoCache);
    if (found && isElf(found)) return { ok: true, path: found, via: "ld.so.cache" };
  }
  const candidates = target.includes("/") ? [resolvePath(cwd, target)] : [resolvePath(cwd, target), ...(options.pathEnv ?? process.env.PATH ?? "").split(":").filter(Boolean).map((d) => join(d, target))];
  for (const c of candidates) {
    if (isElf(c)) return { ok: true, path: c, via: c === candidates[0] ? "path" : "$PATH" };
  }
  const where = target.includes("/")
    ? "does not exist or is not an ELF file"
    : target.startsWith("lib")
      ? `is not in /etc/ld.so.cache as lib${target.slice(3)}.so*, nor a file here or on $PATH`
      : "is neither a file here nor on $PATH";
  return { ok: false, reason: `\`${target}\` ${where}` };
}
