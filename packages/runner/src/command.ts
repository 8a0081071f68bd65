/**
 * The traced command (`bt-run script.bt -- cmd args…`) as the single `-c CMD` string bpftrace takes.
 *
 * bpftrace splits CMD on spaces itself (no shell, no quoting), so `-- printf '%s\n' "a b"` cannot be
 * passed as text. When every argument is free of whitespace, the words are joined directly. Otherwise
 * bt-run writes a two-line script that `exec`s the argv with each argument single-quoted, and hands
 * bpftrace `/bin/sh SCRIPT` (bpftrace only starts ELF binaries, so the script cannot be CMD itself).
 * `exec` keeps the pid bpftrace started (so `cpid`, `-p`-style filtering and USDT activation still
 * see the real program) and the shell never calls `exit()` itself, so uprobes on libc's `exit` fire
 * only for the traced program. Its one visible trace is a short-lived `sh` before the exec (its
 * `__libc_start_main` runs first, then the program's, which overwrites whatever the script recorded).
 * Other options were worse: environment variables cannot carry argv through bpftrace's splitting,
 * and starting the command ourselves then using `-p` would lose the events before attach.
 *
 * The program is resolved through PATH here, like a shell would: bpftrace 0.17 refuses bare names
 * that match more than one file (`/bin/false` and `/usr/bin/false` on merged-/usr systems).
 */
import { accessSync, constants, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { language } from "@bt/parser";
import { resolveTarget, type ResolvedTarget } from "@bt/system";

export interface CommandArgument {
  /** The value for bpftrace's `-c`. */
  cmd: string;
  /** Path of the wrapper script, when one was needed. */
  wrapper?: string;
  /** Removes the wrapper (safe to call more than once). */
  cleanup(): void;
}

export type ResolveResult = { ok: true; path: string } | { ok: false; message: string };

/** A program name as a shell finds it: paths with `/` as they are, bare names through PATH. */
export function resolveProgram(name: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ResolveResult {
  const executable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes("/")) {
    const p = isAbsolute(name) ? name : resolve(cwd, name);
    return executable(p) ? { ok: true, path: p } : { ok: false, message: `command not found or not executable: ${name}` };
  }
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (executable(p)) return { ok: true, path: isAbsolute(p) ? p : resolve(cwd, p) };
  }
  return { ok: false, message: `command not found in PATH: ${name}` };
}

/** POSIX shell single quoting: `it's` → `'it'\''s'`. */
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The shell that runs the wrapper (an ELF binary every Linux has at this path). */
export const SHELL = "/bin/sh";

const needsWrapper = (arg: string) => arg === "" || /\s/.test(arg);

/** `argv[0]` must already be resolved (see resolveProgram). */
export function commandArgument(argv: readonly string[], dir = tmpdir()): CommandArgument {
  if (!argv.some(needsWrapper)) return { cmd: argv.join(" "), cleanup() {} };
  // The wrapper's own path goes through bpftrace's space splitting too, so keep it space-free.
  const base = /\s/.test(dir) ? "/tmp" : dir;
  const wrapperDir = mkdtempSync(join(base, "bt-run-"));
  const wrapper = join(wrapperDir, "exec.sh");
  writeFileSync(wrapper, `#!/bin/sh\nexec ${argv.map(shellQuote).join(" ")}\n`, { mode: 0o700 });
  return {
    cmd: `${SHELL} ${wrapper}`,
    wrapper,
    cleanup() {
      rmSync(wrapperDir, { recursive: true, force: true });
    },
  };
}

/**
 * `uprobe:libc:*` → `uprobe:/lib/x86_64-linux-gnu/libc.so.6:*` (and `uprobe:bash:*` →
 * `uprobe:/usr/bin/bash:*`) for probe listings: bpftrace 0.27 lists nothing for a bare target (it
 * resolves one only when attaching), while 0.17 lists the resolved path. Resolved by
 * `resolveBinary` — @bt/system's `resolveTarget`, the rules bpftrace attaches by (`lib` names through
 * `/etc/ld.so.cache` like BCC's `which_so`, other names on `$PATH`), the same ones the machine
 * checks use; unchanged when not found.
 */
/** Providers whose first part is a binary (as canonical names; aliases such as `u` and `U` are found through the language data). */
const USERSPACE_PROVIDERS = new Set(["uprobe", "uretprobe", "usdt"]);

export function resolveListPattern(pattern: string, resolveBinary: (target: string) => ResolvedTarget = resolveTarget): string {
  const m = /^([^:]+):([^/:*?[\]]+):(.*)$/.exec(pattern);
  if (!m || !USERSPACE_PROVIDERS.has(language.findProbe(m[1])?.probe.name ?? "")) return pattern;
  const found = resolveBinary(m[2]);
  return found.ok ? `${m[1]}:${found.path}:${m[3]}` : pattern;
}
