import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveTarget, whichSo, type ResolvedTarget } from "@bt/system";
import { SHELL, commandArgument, resolveListPattern, resolveProgram, shellQuote } from "./command.ts";

const scratch = mkdtempSync(join(tmpdir(), "bt-run-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("commandArgument", () => {
  it("joins plain words directly (what bpftrace's own space split gives back)", () => {
    const c = commandArgument(["/bin/ls", "-l", "/tmp"], scratch);
    expect(c.cmd).toBe("/bin/ls -l /tmp");
    expect(c.wrapper).toBeUndefined();
  });

  it("keeps arguments with spaces, quotes and empty strings intact through a wrapper script", () => {
    const argv = ["/usr/bin/printf", "<%s>\\n", "two words", "it's", "", "$HOME", "a\tb"];
    const c = commandArgument(argv, scratch);
    expect(c.wrapper).toBeDefined();
    // What bpftrace does with -c: split on spaces, then execve without a shell.
    const words = c.cmd.split(" ");
    expect(words).toEqual([SHELL, c.wrapper]);
    const out = execFileSync(words[0], words.slice(1), { encoding: "utf8" });
    expect(out).toBe("<two words>\n<it's>\n<>\n<$HOME>\n<a\tb>\n");
    c.cleanup();
    expect(existsSync(c.wrapper!)).toBe(false);
  });

  it("execs the program so it keeps the pid bpftrace started", () => {
    const c = commandArgument(["/bin/sh", "-c", "echo $$ $PPID"], scratch);
    const script = readFileSync(c.wrapper!, "utf8");
    expect(script).toBe(`#!/bin/sh\nexec '/bin/sh' '-c' 'echo $$ $PPID'\n`);
    c.cleanup();
  });
});

describe("shellQuote", () => {
  it("quotes single quotes the POSIX way", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("")).toBe("''");
  });
});

describe("resolveProgram", () => {
  it("finds bare names on PATH like a shell (first match wins)", () => {
    const a = join(scratch, "a");
    const b = join(scratch, "b");
    for (const d of [a, b]) {
      execFileSync("mkdir", ["-p", d]);
      writeFileSync(join(d, "tool"), "#!/bin/sh\n");
      chmodSync(join(d, "tool"), 0o755);
    }
    expect(resolveProgram("tool", { PATH: `${a}:${b}` })).toEqual({ ok: true, path: join(a, "tool") });
    expect(resolveProgram("nope-not-here", { PATH: a })).toEqual({ ok: false, message: "command not found in PATH: nope-not-here" });
    expect(resolveProgram(join(b, "tool"), {})).toEqual({ ok: true, path: join(b, "tool") });
  });
});

describe("resolveListPattern", () => {
  const resolve = (target: string): ResolvedTarget =>
    target === "libc" ? { ok: true, path: "/lib/x86_64-linux-gnu/libc.so.6", via: "ld.so.cache" } : target === "bash" ? { ok: true, path: "/usr/bin/bash", via: "$PATH" } : { ok: false, reason: "no" };
  it("resolves a bare target the way bpftrace attaches to it, for every spelling of the userspace providers", () => {
    expect(resolveListPattern("uprobe:libc:*", resolve)).toBe("uprobe:/lib/x86_64-linux-gnu/libc.so.6:*");
    expect(resolveListPattern("ur:libc:malloc", resolve)).toBe("ur:/lib/x86_64-linux-gnu/libc.so.6:malloc");
    expect(resolveListPattern("U:bash:*", resolve)).toBe("U:/usr/bin/bash:*");
  });
  it("leaves paths, globs, unknown names and other providers alone", () => {
    expect(resolveListPattern("uprobe:/nix/store/nq*/lib/libc.so*:*", resolve)).toBe("uprobe:/nix/store/nq*/lib/libc.so*:*");
    expect(resolveListPattern("uprobe:libnope:*", resolve)).toBe("uprobe:libnope:*");
    expect(resolveListPattern("kprobe:do_*", resolve)).toBe("kprobe:do_*");
    expect(resolveListPattern("kprobe:libc:x", resolve)).toBe("kprobe:libc:x");
  });
  it("on this machine, resolves libc through /etc/ld.so.cache as the machine checks do (bpftrace's `c` is not a library name)", () => {
    const libc = whichSo("c");
    if (!libc) return void console.warn("SKIPPED: no libc.so* in /etc/ld.so.cache");
    expect(resolveListPattern("uprobe:libc:mallo*")).toBe(`uprobe:${libc}:mallo*`);
    expect(resolveListPattern("uprobe:c:malloc", (t) => resolveTarget(t, { pathEnv: "" }))).toBe("uprobe:c:malloc");
  });
});
