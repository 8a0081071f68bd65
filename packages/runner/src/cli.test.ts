/**
 * bt-run for real: the built bundle (`node packages/runner/scripts/build.mjs`) driving the real
 * bpftrace releases on this machine. Tests needing a release or root skip loudly without them.
 */
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = join(import.meta.dirname, "..", "dist", "bt-run.js");
const FIX = join(import.meta.dirname, "__fixtures__");
const scratch = mkdtempSync(join(tmpdir(), "bt-run-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`node packages/runner/scripts/build.mjs\` first`);
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts bt-run; `during` runs once bpftrace reports its probes attached. */
function btRun(
  args: string[],
  opts: { during?: (pid: number) => Promise<void> | void; env?: NodeJS.ProcessEnv; wrap?: string[]; detached?: boolean } = {},
): Promise<Result & { childPids: number[] }> {
  return new Promise((resolve, reject) => {
    const argv = [...(opts.wrap ?? []), process.execPath, BIN, ...args];
    // detached: bt-run leads its own process group, so a test can signal the group like a terminal's Ctrl-C.
    const p = spawn(argv[0], argv.slice(1), { env: opts.env ?? process.env, detached: opts.detached ?? false });
    let stdout = "";
    let stderr = "";
    const childPids = new Set<number>();
    let fired = false;
    const poll = setInterval(() => {
      try {
        for (const t of readdirSync(`/proc/${p.pid}/task`)) {
          for (const c of readFileSync(`/proc/${p.pid}/task/${t}/children`, "utf8").split(" ").filter(Boolean)) childPids.add(Number(c));
        }
      } catch {
        // bt-run already gone
      }
    }, 50);
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", async (d) => {
      stderr += d;
      if (!fired && /Attached \d+ probe/.test(stderr) && opts.during) {
        fired = true;
        await sleep(1500); // 0.17 announces "Attaching N probes" before it attaches them
        try {
          await opts.during(p.pid!);
        } catch (e) {
          reject(e);
        }
      }
    });
    p.on("error", reject);
    p.on("close", (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr, childPids: [...childPids] });
    });
  });
}

const available = (bin: string) => spawnSync(bin, ["--version"]).status === 0;
const isRoot = process.geteuid?.() === 0;
const uprobeEvents = () => (existsSync("/sys/kernel/tracing/uprobe_events") ? readFileSync("/sys/kernel/tracing/uprobe_events", "utf8") : "");
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** bpftrace processes among bt-run's children must be gone, and no uprobe event left behind. */
function expectNothingLeft(r: { childPids: number[] }, eventsBefore: string) {
  expect(r.childPids.length).toBeGreaterThan(0);
  for (const pid of r.childPids) expect(alive(pid), `bpftrace pid ${pid} still running`).toBe(false);
  const before = new Set(eventsBefore.split("\n"));
  expect(uprobeEvents().split("\n").filter((l) => l && !before.has(l))).toEqual([]);
}

/** Copies of /bin/true with distinct names, so their histograms are ours and not other processes'. */
function namedTrue(name: string): string {
  const p = join(scratch, name);
  if (!existsSync(p)) copyFileSync("/bin/true", p);
  execFileSync("chmod", ["755", p]);
  return p;
}

/**
 * A stand-in for `bin` that logs each invocation's arguments, then execs the real binary: a log of
 * just `--version` proves bt-run asked for the release and never started a run.
 */
function loggingBpftrace(bin: string, name: string): { path: string; calls: () => string[] } {
  const real = execFileSync("sh", ["-c", `command -v ${bin}`], { encoding: "utf8" }).trim();
  const log = join(scratch, `${name}.log`);
  const path = join(scratch, name);
  rmSync(log, { force: true });
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$*" >> ${log}\nexec ${real} "$@"\n`);
  execFileSync("chmod", ["755", path]);
  return { path, calls: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []) };
}

/** Live (non-zombie) processes whose environment carries BT_RUN_TEST_TAG=tag: bt-run, bpftrace, traced commands. */
function taggedProcesses(tag: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(`BT_RUN_TEST_TAG=${tag}`)) continue;
      if (alive(Number(pid))) found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, "latin1").replace(/\0/g, " ").trim()}`);
    } catch {
      // gone meanwhile, or a kernel thread
    }
  }
  return found;
}

const RELEASES = [
  { release: "0.17", bin: "bpftrace-0.17", lifetime: "lifetime-portable.bt" },
  { release: "0.23", bin: "bpftrace-0.23", lifetime: "lifetime.bt" },
  { release: "0.27", bin: "bpftrace-0.27", lifetime: "lifetime.bt" },
];

for (const { release, bin, lifetime } of RELEASES) {
  const skip = !available(bin) || !isRoot;
  if (skip) console.warn(`SKIPPED: real bt-run tests for bpftrace ${release} (${!isRoot ? "not root" : `${bin} not installed`})`);
  describe.skipIf(skip)(`bt-run with bpftrace ${release} (real)`, () => {
    it("the seed's exit-code watcher prints a traced command's exit code, arguments with spaces intact", async () => {
      const r = await btRun(["--bpftrace", bin, join(FIX, "exit-codes.bt"), "--", "python3", "-c", "import sys; sys.exit(7)"]);
      expect(r.stderr).not.toMatch(/ERROR/);
      expect(r.stdout).toContain("python3 exited with code 7\n");
      expect(r.code).toBe(0);
      const f = await btRun(["--bpftrace", bin, join(FIX, "exit-codes.bt"), "--", "false"]);
      expect(f.stdout).toContain("false exited with code 1\n");
    });

    it("process lifetimes: one histogram per command name, in time units", async () => {
      const a = namedTrue("btrun-alpha");
      const b = namedTrue("btrun-beta");
      const before = uprobeEvents();
      const r = await btRun(["--bpftrace", bin, "--duration", "6s", join(FIX, lifetime)], {
        during: () => {
          for (const p of [a, a, b]) execFileSync(p);
        },
      });
      expect(r.code).toBe(0);
      for (const name of ["btrun-alpha", "btrun-beta"]) {
        const m = new RegExp(`@lifetime_hist\\[${name}\\]:\\n((?:\\[.*\\n)+)`).exec(r.stdout);
        expect(m, `no histogram for ${name} in:\n${r.stdout}`).not.toBeNull();
        const rows = m![1].trim().split("\n");
        // Bucket labels carry units (µs/ms), and the counts add up to the runs.
        for (const row of rows) expect(row).toMatch(/^\[\d+(\.\d+)?(ns|µs|ms|s), \d+(\.\d+)?(ns|µs|ms|s)\)\s+\d+ \|@*\s*\|$/);
        const total = rows.reduce((n, row) => n + Number(/\)\s+(\d+) \|/.exec(row)![1]), 0);
        expect(total).toBe(name === "btrun-alpha" ? 2 : 1);
      }
      expectNothingLeft(r, before);
    });

    it.each(["SIGINT", "SIGTERM"] as const)("%s mid-run prints END output and maps, and leaves nothing behind", async (sig) => {
      const script = join(scratch, "stop.bt");
      writeFileSync(script, 'BEGIN { @started = 1; }\nuprobe:libc:exit { @exits = count(); }\nEND { printf("END ran\\n"); }\n');
      const before = uprobeEvents();
      const r = await btRun(["--bpftrace", bin, script], {
        during: async (pid) => {
          spawnSync("/bin/false");
          await sleep(300);
          process.kill(pid, sig);
        },
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("END ran\n");
      expect(r.stdout).toMatch(/^@started: 1$/m);
      expect(r.stdout).toMatch(/^@exits: [1-9]\d*$/m);
      expectNothingLeft(r, before);
    });

    it("lists probes with a filter", async () => {
      const r = await btRun(["--bpftrace", bin, "-l", "uprobe:libc:*", "libc_start"]);
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines).toContain("uprobe:/lib/x86_64-linux-gnu/libc.so.6:__libc_start_main");
      for (const l of lines) expect(l).toContain("libc_start");
    });

    it("--json streams normalised events, one object per line", async () => {
      const script = join(scratch, "json.bt");
      // Only the traced command (`cpid`): exits of other processes on the machine would add buckets and keys.
      writeFileSync(script, 'uprobe:libc:exit /pid == cpid/ { printf("%s exited with code %d\\n", comm, arg0); @codes = hist(arg0); @n[comm] = count(); }\n');
      const r = await btRun(["--bpftrace", bin, "--json", script, "--", "false"]);
      expect(r.code).toBe(0);
      const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
      expect(events).toContainEqual({ type: "attached", probes: 1 });
      expect(events).toContainEqual({ type: "text", kind: "printf", text: "false exited with code 1\n" });
      expect(events).toContainEqual({ type: "hist", map: "@codes", entries: [{ key: null, buckets: [{ min: 1, max: 1, count: 1 }] }] });
      expect(events).toContainEqual({ type: "map", map: "@n", entries: [{ key: "false", value: 1 }] });
    });

    it("refuses a script with errors for this release and never starts bpftrace", async () => {
      const bad = join(scratch, "bad.bt");
      writeFileSync(bad, "BEGIN { printf(\"x\\n\") \n");
      const logged = loggingBpftrace(bin, `logged-${release}`);
      const r = await btRun(["--bpftrace", logged.path, bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^${bad}:\\d+:\\d+: error: `, "m"));
      expect(r.stderr).toContain(`bt-run: not started: 1 error for bpftrace ${release}`);
      expect(r.stderr).not.toMatch(/^(stdin|.*\.bt):\d+:\d+-\d+: ERROR/m); // bpftrace's own format
      expect(logged.calls()).toEqual(["--version"]);
    });

    it("three short runs back to back, each stopped with SIGINT mid-run, leave no process and no uprobe behind", async () => {
      const script = join(scratch, `stress-${release}.bt`);
      writeFileSync(script, 'BEGIN { printf("started\\n"); }\nuprobe:libc:exit { @exits = count(); }\nEND { printf("END ran\\n"); }\n');
      const tag = `${release}-${process.pid}-${Date.now()}`;
      const env = { ...process.env, BT_RUN_TEST_TAG: tag };
      const before = uprobeEvents();
      const pids: number[] = [];
      // Run 1 and 3 signal bt-run alone (kill -INT); run 2 signals its whole process group, as Ctrl-C in a terminal does.
      for (const group of [false, true, false]) {
        const r = await btRun(["--bpftrace", bin, script], {
          env,
          detached: group,
          during: async (pid) => {
            // The tag finds bpftrace while it runs (so finding nothing afterwards means something).
            expect(taggedProcesses(tag).filter((p) => !p.includes(BIN) && p.includes(script)).length).toBeGreaterThan(0);
            spawnSync("/bin/false");
            await sleep(200);
            process.kill(group ? -pid : pid, "SIGINT");
          },
        });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain("started\nEND ran\n");
        expect(r.stdout).toMatch(/^@exits: [1-9]\d*$/m);
        expect(taggedProcesses(tag), "processes left after a run").toEqual([]);
        pids.push(...r.childPids);
      }
      expectNothingLeft({ childPids: pids }, before);
      expect(taggedProcesses(tag)).toEqual([]);
    });
  });
}

const gxx = spawnSync("g++", ["--version"]).status === 0;
if (!gxx) console.warn("SKIPPED: cpp: tests need g++ to build their C++ program");
describe.skipIf(!gxx)("C++ member function through cpp:", () => {
  let binary = "";
  beforeAll(() => {
    const src = join(scratch, "counter.cpp");
    writeFileSync(
      src,
      `#include <cstdio>
class Counter {
 public:
  int total = 0;
  __attribute__((noinline)) int add(int n) { total += n; return total; }
};
int main() { Counter c; std::printf("total %d\\n", c.add(4242)); return 0; }
`,
    );
    binary = join(scratch, "counter");
    execFileSync("g++", ["-O0", "-g", "-o", binary, src]);
  });
  const script = () => {
    const p = join(scratch, "cpp.bt");
    writeFileSync(p, `uprobe:${binary}:cpp:"Counter::add" { printf("Counter::add(%d)\\n", arg1); }\n`);
    return p;
  };

  for (const release of ["0.23", "0.27"]) {
    const bin = `bpftrace-${release}`;
    const skip = !available(bin) || !isRoot;
    if (skip) console.warn(`SKIPPED: cpp: run with bpftrace ${release} (${!isRoot ? "not root" : `${bin} not installed`})`);
    it.skipIf(skip)(`with bpftrace ${release}, prints the member function's real first argument from arg1`, async () => {
      const r = await btRun(["--bpftrace", bin, script(), "--", binary]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("Counter::add(4242)\n");
      expect(r.stdout).toContain("total 4242\n");
    });
  }

  const has017 = available("bpftrace-0.17");
  if (!has017) console.warn("SKIPPED: cpp: refusal with bpftrace 0.17 (bpftrace-0.17 not installed)");
  it.skipIf(!has017)("with bpftrace 0.17, bt-run refuses cpp: with the linter's version message and never starts bpftrace", async () => {
    const file = script();
    const logged = loggingBpftrace("bpftrace-0.17", "logged-cpp-0.17");
    const r = await btRun(["--bpftrace", logged.path, file, "--", binary]);
    expect(r.code).toBe(2);
    const column = `uprobe:${binary}:`.length + 1;
    expect(r.stderr).toMatch(
      new RegExp(`^${file}:1:${column}: error: the \`cpp:\` language part in uprobes needs bpftrace ≥ 0\\.19; target is 0\\.17 \\[(version-compat|syntax)\\]$`, "m"),
    );
    expect(r.stderr).toContain("bt-run: not started: 1 error for bpftrace 0.17.0");
    expect(r.stderr).not.toMatch(/requires 2 arguments|^stdin:|ERROR:/m); // bpftrace's own wording
    expect(logged.calls()).toEqual(["--version"]);
  });
});

/**
 * A stand-in bpftrace 0.27 that answers --version and --help like the real one and otherwise
 * writes the arguments it was started with (one per line) to a log and prints `stdout`.
 */
function standIn(name: string, stdout = ""): { path: string; args: () => string[] | undefined } {
  const log = join(scratch, `${name}.args`);
  const path = join(scratch, name);
  rmSync(log, { force: true });
  writeFileSync(
    path,
    `#!/bin/sh
case "$1" in
  --version) echo 'bpftrace v0.27.0'; exit 0;;
  --help) echo '  --dry-run        attach, then stop'; echo "  -f FORMAT        output format ('text', 'json')"; exit 0;;
esac
printf '%s\\n' "$@" > ${log}
printf '%s' '${stdout}'
`,
  );
  execFileSync("chmod", ["755", path]);
  return { path, args: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").slice(0, -1) : undefined) };
}

if (!isRoot) console.warn("SKIPPED: bt-run flag tests (the privilege check needs root)");
describe.skipIf(!isRoot)("bt-run flags reach bpftrace (stand-in binary)", () => {
  it("-o, -q, --unsafe, -p and -e with positional parameters", async () => {
    const b = standIn("flags");
    const out = join(scratch, "out.txt");
    const r = await btRun(["--bpftrace", b.path, "-o", out, "-q", "--unsafe", "-p", "4242", "-e", "BEGIN { printf(\"%s\\n\", str($1)); exit(); }", "one", "two words"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(b.args()).toEqual(["-o", out, "-q", "--unsafe", "-p", "4242", "-e", 'BEGIN { printf("%s\\n", str($1)); exit(); }', "one", "two words"]);
  });

  it("checks the script with the run's positional parameters and --unsafe, as bpftrace will", async () => {
    const b = standIn("checked-with-run");
    const program = 'BEGIN { @x = $1 * 2; system("true"); exit(); }';
    // $1 is text and system() needs --unsafe: bpftrace refuses both; bpftrace is not started.
    const refused = await btRun(["--bpftrace", b.path, "--no-machine", "-e", program, "hello"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^<-e>:1:14: error: .*\[operand-types\]$/m);
    expect(refused.stderr).toMatch(/^<-e>:1:22: error: .*--unsafe.*$/m);
    expect(refused.stderr).toContain("bt-run: not started: 2 errors for bpftrace 0.27.0");
    expect(b.args()).toBeUndefined();
    // A number for $1 and --unsafe given: the same program starts.
    const started = await btRun(["--bpftrace", b.path, "--no-machine", "--unsafe", "-e", program, "41"]);
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    expect(b.args()).toEqual(["-f", "json", "--unsafe", "-e", program, "41"]);
  });

  it("reads -f json by default and renders it; --raw leaves bpftrace's text alone; --json prints normalised events", async () => {
    const json = '{"type": "map", "data": {"@n": 3}}\n';
    const rendered = standIn("render", json);
    const r = await btRun(["--bpftrace", rendered.path, "-e", "BEGIN { @n = 3; exit(); }"]);
    expect(rendered.args()!.slice(0, 2)).toEqual(["-f", "json"]);
    expect(r.stdout).toBe("@n: 3\n");
    const raw = standIn("raw", "@n: 3\n");
    const rr = await btRun(["--bpftrace", raw.path, "--raw", "-e", "BEGIN { @n = 3; exit(); }"]);
    expect(raw.args()).toEqual(["-e", "BEGIN { @n = 3; exit(); }"]);
    expect(rr.stdout).toBe("@n: 3\n");
    const normalised = standIn("json", json);
    const rj = await btRun(["--bpftrace", normalised.path, "--json", "-e", "BEGIN { @n = 3; exit(); }"]);
    expect(rj.stdout).toBe('{"type":"map","map":"@n","entries":[{"key":null,"value":3}]}\n');
  });

  it("--unit labels a histogram's buckets in that unit", async () => {
    const b = standIn("unit", '{"type": "hist", "data": {"@h": [{"min": 1024, "max": 2047, "count": 1}]}}\n');
    const r = await btRun(["--bpftrace", b.path, "--unit", "@h=us", "-e", "BEGIN { @h = hist(1024); exit(); }"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("[1.02ms, 2.05ms)");
  });

  it("--force runs a script with errors for this release; --verbose names the binary and the command line", async () => {
    const b = standIn("force");
    const script = join(scratch, "old.bt");
    writeFileSync(script, "BEGIN { @m[1] = 1; delete(@m[1]); exit(); }\n");
    const errors = standIn("force-old");
    writeFileSync(errors.path, readFileSync(errors.path, "utf8").replace("v0.27.0", "v0.17.0"));
    const refused = await btRun(["--bpftrace", errors.path, "-e", "BEGIN { @m[1] = 1; delete(@m, 1); exit(); }"]);
    expect(refused.code).toBe(2);
    expect(errors.args()).toBeUndefined();
    const forced = await btRun(["--bpftrace", errors.path, "--force", "-e", "BEGIN { @m[1] = 1; delete(@m, 1); exit(); }"]);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain("bt-run: 1 error for bpftrace 0.17.0; running anyway (--force)\n");
    expect(errors.args()).toContain("-e");
    const verbose = await btRun(["--bpftrace", b.path, "-v", "--raw", script]);
    expect(verbose.stderr).toContain(`bt-run: using ${b.path} (bpftrace 0.27.0, from --bpftrace)\n`);
    expect(verbose.stderr).toContain(`bt-run: ${JSON.stringify(b.path)} ${JSON.stringify(script)}\n`);
  });
});

describe("bt-run failing to start", () => {
  it("never starts bpftrace for a script with errors (logging fake binary)", async () => {
    const log = join(scratch, "fake.log");
    const fake = join(scratch, "fake-bpftrace");
    writeFileSync(fake, `#!/bin/sh\nif [ "$1" = --version ]; then echo 'bpftrace v0.17.0'; exit 0; fi\necho "$@" >> ${log}\n`);
    execFileSync("chmod", ["755", fake]);
    const script = join(FIX, "lifetime.bt");
    const r = await btRun(["--bpftrace", fake, script]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${script}:11:3: error: \`delete(@map, key)\` needs bpftrace 0.22 (targeting 0.17); write \`delete(@start_times[pid])\`.`);
    expect(existsSync(log)).toBe(false);
  });

  it.skipIf(!existsSync("/bin/bash"))("names the attach points that cannot attach on this machine before starting bpftrace; --no-machine skips the check", async () => {
    const log = join(scratch, "machine.log");
    const fake = join(scratch, "machine-bpftrace");
    writeFileSync(fake, `#!/bin/sh\nif [ "$1" = --version ]; then echo 'bpftrace v0.27.1'; exit 0; fi\necho "$@" >> ${log}\n`);
    execFileSync("chmod", ["755", fake]);
    const program = "uprobe:/bin/bash:readlinex { exit(); }";
    const r = await btRun(["--bpftrace", fake, "-e", program]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("<-e>:1:18: error: No function of /bin/bash `readlinex` on this machine (from ELF symbols): bpftrace will fail to attach. Did you mean `readline`? [machine-attach-point]");
    expect(r.stderr).toContain("bt-run: not started: 1 error for bpftrace 0.27.1 (1 on this machine: it would stop bpftrace from attaching; --no-machine skips these checks)");
    expect(existsSync(log)).toBe(false);
    const unchecked = await btRun(["--bpftrace", fake, "--no-machine", "-e", program]);
    expect(unchecked.code).toBe(0);
    expect(readFileSync(log, "utf8")).toContain(program);
  });

  it.skipIf(!existsSync("/bin/bash"))("with -p PID, a uprobe without a binary is checked against that process's executable", async () => {
    const log = join(scratch, "pid.log");
    const fake = join(scratch, "pid-bpftrace");
    writeFileSync(fake, `#!/bin/sh\nif [ "$1" = --version ]; then echo 'bpftrace v0.27.1'; exit 0; fi\necho "$@" >> ${log}\n`);
    execFileSync("chmod", ["755", fake]);
    // `; true` keeps bash itself running (a lone command would be exec'd in its place).
    const shell = spawn("/bin/bash", ["-c", "sleep 30; true"], { stdio: "ignore" });
    try {
      const pid = String(shell.pid);
      const typo = await btRun(["--bpftrace", fake, "-p", pid, "-e", "uprobe:readlinex { exit(); }"]);
      expect(typo.code).toBe(2);
      expect(typo.stderr).toMatch(/<-e>:1:8: error: No function of \S*bash `readlinex` on this machine \(from ELF symbols\): bpftrace will fail to attach\. Did you mean `readline`\?/);
      const right = await btRun(["--bpftrace", fake, "-p", pid, "-e", "uprobe:readline { exit(); }"]);
      expect(right.stderr).toBe("");
      expect(right.code).toBe(0);
      expect(readFileSync(log, "utf8")).toContain(`-p ${pid} -e uprobe:readline { exit(); }`);
    } finally {
      shell.kill();
    }
  });

  it("a missing bpftrace is one line and exit 2", async () => {
    const r = await btRun([join(FIX, "exit-codes.bt")], { env: { PATH: "/nonexistent" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("bt-run: bpftrace not found on PATH: install it (e.g. apt install bpftrace) or pass --bpftrace PATH\n");
    const e = await btRun(["--bpftrace", "/no/such/bpftrace", join(FIX, "exit-codes.bt")]);
    expect(e.stderr).toBe("bt-run: bpftrace not found at /no/such/bpftrace (from --bpftrace): check the path\n");
  });

  it("bad usage is one line and exit 2", async () => {
    const r = await btRun(["--duration", "soon", join(FIX, "exit-codes.bt")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('bt-run: invalid duration "soon": use a number with a unit, like 30s, 500ms, 2m, 1h or 1m30s\n');
  });

  it("a bad /REGEX/ list filter is a usage error before bpftrace starts", async () => {
    const log = join(scratch, "regex.log");
    const fake = join(scratch, "regex-bpftrace");
    writeFileSync(fake, `#!/bin/sh\necho "$@" >> ${log}\nif [ "$1" = --version ]; then echo 'bpftrace v0.27.0'; fi\n`);
    execFileSync("chmod", ["755", fake]);
    const r = await btRun(["--bpftrace", fake, "-l", "kprobe:*", "/[/"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bt-run: the -l filter \/\[\/ is not a valid regular expression: .+\n$/);
    expect(existsSync(log)).toBe(false);
  });

  const setpriv = spawnSync("setpriv", ["--version"]).status === 0;
  if (!setpriv || !isRoot) console.warn("SKIPPED: non-root test needs root and setpriv");
  it.skipIf(!setpriv || !isRoot).each([
    ["bpftrace-0.17", "bt-run: bpftrace 0.17 only runs as root: run bt-run with sudo\n"],
    ["bpftrace-0.27", "bt-run: bpftrace needs root or the CAP_BPF, CAP_PERFMON and CAP_DAC_READ_SEARCH capabilities (as ambient capabilities of bt-run): run bt-run with sudo\n"],
  ])("a non-root run with %s is one line and exit 2", async (bin, message) => {
    if (!available(bin)) return console.warn(`SKIPPED: ${bin} not installed`);
    const r = await btRun(["--bpftrace", bin, join(FIX, "exit-codes.bt")], { wrap: ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] });
    expect(r.stderr).toBe(message);
    expect(r.code).toBe(2);
  });

  it.skipIf(!available("bpftrace-0.17"))("--dry-run on a release without it says so", async () => {
    const r = await btRun(["--bpftrace", "bpftrace-0.17", "--dry-run", join(FIX, "exit-codes.bt")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("bt-run: bpftrace 0.17 has no --dry-run (0.23 and later have it); the script was checked and not run\n");
  });

  it.skipIf(!available("bpftrace-0.27") || !isRoot)("--dry-run on 0.27 attaches and stops", async () => {
    const r = await btRun(["--bpftrace", "bpftrace-0.27", "--dry-run", join(FIX, "exit-codes.bt")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
  });
});
