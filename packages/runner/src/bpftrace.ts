/**
 * The adapter around the bpftrace binary: where it is, which release it is, which flags it has,
 * and starting it with an argument array (never a shell string). Output validation lives in
 * events.ts (zod schemas for `-f json`).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { parseBpftraceVersion } from "@bt/parser";

export { normalizeLine, type NormalizedEvent } from "./events.ts";

export interface Located {
  path: string;
  /** Where the path came from, for messages. */
  source: "--bpftrace" | "BPFTRACE" | "PATH";
}

export type LocateResult = ({ ok: true } & Located) | { ok: false; message: string };

function isExecutableFile(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function findInPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && isExecutableFile(join(dir, name))) return resolve(dir, name);
  }
  return undefined;
}

/** `--bpftrace PATH`, then `$BPFTRACE`, then `bpftrace` on PATH. A bare name is looked up on PATH. */
export function locateBpftrace(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): LocateResult {
  const tryOne = (value: string, source: Located["source"]): LocateResult => {
    const path = value.includes("/") ? (isAbsolute(value) ? value : resolve(value)) : findInPath(value, env);
    if (path && isExecutableFile(path)) return { ok: true, path, source };
    return { ok: false, message: `bpftrace not found at ${value} (from ${source}): check the path` };
  };
  if (explicit) return tryOne(explicit, "--bpftrace");
  if (env.BPFTRACE) return tryOne(env.BPFTRACE, "BPFTRACE");
  const path = findInPath("bpftrace", env);
  if (path) return { ok: true, path, source: "PATH" };
  return { ok: false, message: "bpftrace not found on PATH: install it (e.g. apt install bpftrace) or pass --bpftrace PATH" };
}

export interface BpftraceVersion {
  /** As printed, without the leading `v`: `0.23.2`. */
  full: string;
  /** `major.minor`: `0.23`. */
  release: string;
  /**
   * The release the script is checked against: `release` itself when the toolkit knows it,
   * else the nearest known one (newer binaries are checked as the latest known release).
   */
  lintTarget: string;
}

/**
 * `bpftrace v0.17.0` → 0.17; `bpftrace v0.21.0-12-gdeadbeef` → 0.21. Undefined without a
 * `bpftrace vX.Y.Z` line. The reading is the parser's `parseBpftraceVersion`, shared with
 * `bt-lint --target installed` and the language server.
 */
export function parseVersion(text: string): BpftraceVersion | undefined {
  const v = parseBpftraceVersion(text);
  if (!v) return undefined;
  const full = v.version.split(".").length === 2 ? `${v.version}.0` : v.version;
  return { full, release: v.release, lintTarget: v.target };
}

export type VersionResult = ({ ok: true } & BpftraceVersion) | { ok: false; message: string };

export function readVersion(path: string): VersionResult {
  const r = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 15_000 });
  if (r.error) return { ok: false, message: `could not run ${path} --version: ${r.error.message}` };
  const v = parseVersion(`${r.stdout}\n${r.stderr}`);
  if (!v) return { ok: false, message: `could not read a version from \`${path} --version\` (got "${(r.stdout || r.stderr).trim()}")` };
  return { ok: true, ...v };
}

export interface Features {
  /** `--dry-run`: attach, then stop (0.23 and 0.27 here; 0.17 lacks it). */
  dryRun: boolean;
  /** `-f json`. */
  json: boolean;
}

/** What the binary offers, read from its own `--help` so no release table can go stale. */
export function readFeatures(path: string): Features {
  const r = spawnSync(path, ["--help"], { encoding: "utf8", timeout: 15_000 });
  const help = `${r.stdout ?? ""}\n${r.stderr ?? ""}`;
  return { dryRun: help.includes("--dry-run"), json: /-f FORMAT[^\n]*json/.test(help) };
}

/**
 * Warnings bpftrace prints on every start on some machines that do not affect the run (hidden
 * unless --verbose): the memlock rlimit cannot be raised in containers without CAP_SYS_RESOURCE
 * (the kernel accounts BPF memory by cgroup since 5.11), and 0.27 looks for the traceable-function
 * list under debugfs even when tracefs has it.
 */
export const HARMLESS_STDERR: RegExp[] = [
  /couldn't set RLIMIT_MEMLOCK for bpftrace/,
  /^WARNING: Could not read functions from \/sys\/kernel\/debug\/tracing\/available_filter_functions/,
];

export function isHarmlessStderr(line: string): boolean {
  return HARMLESS_STDERR.some((re) => re.test(line));
}

export interface SpawnOptions {
  /** Capture stdout (for `-f json` parsing) instead of letting it go straight to the terminal. */
  pipeStdout: boolean;
}

/** Starts bpftrace with an argument array. stdin is the user's (the traced command may read it). */
export function spawnBpftrace(path: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  return spawn(path, args, { stdio: ["inherit", options.pipeStdout ? "pipe" : "inherit", "pipe"] });
}
