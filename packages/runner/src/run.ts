/**
 * One bt-run invocation: find bpftrace, check the script for that release, check privileges,
 * start bpftrace, stream and render its output, stop it cleanly, and return the exit code.
 * Everything user-facing goes through `io` so tests can drive it without a terminal.
 */
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import type { ChildProcess } from "node:child_process";
import {
  isHarmlessStderr,
  locateBpftrace,
  readFeatures,
  readVersion,
  spawnBpftrace,
  type BpftraceVersion,
} from "./bpftrace.ts";
import { commandArgument, resolveListPattern, resolveProgram, type CommandArgument } from "./command.ts";
import { normalizeLine, type TimeUnit } from "./events.ts";
import { renderEvent } from "./histogram.ts";
import { currentCredentials, privilegeProblem, type ProcessCredentials } from "./privileges.ts";
import { createMachine, resolveTarget } from "@bt/system";
import { formatFinding, histogramUnits, validate } from "./validate.ts";

/** Exit code when bt-run itself could not start bpftrace (bad usage, lint errors, no binary, no privileges). */
export const EXIT_NOT_STARTED = 2;

export interface RunOptions {
  /** Script file, or undefined with `program` (-e) or `list`. */
  scriptPath?: string;
  program?: string;
  params: string[];
  /** Command to trace, argv form. */
  command: string[];
  bpftrace?: string;
  pid?: string;
  output?: string;
  quiet: boolean;
  unsafe: boolean;
  /** `-l`: probe pattern (true: list everything). */
  list?: string | true;
  /** Keep only listed probes matching this (substring, or /regex/). */
  listFilter?: string;
  dryRun: boolean;
  durationMs?: number;
  json: boolean;
  raw: boolean;
  force: boolean;
  verbose: boolean;
  /** Check attach points and fields against this machine before starting bpftrace (`--no-machine` turns it off). */
  machine: boolean;
  /** `--unit @map=ms` overrides. */
  units: Map<string, TimeUnit>;
}

export interface RunIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  credentials?: ProcessCredentials;
  /** Signals to forward; the CLI passes `process`. */
  signals?: NodeJS.EventEmitter;
}

/** Grace periods after the first SIGINT before escalating (bpftrace may be printing large maps). */
const TERM_AFTER_MS = 10_000;
const KILL_AFTER_MS = 5_000;

export async function run(opts: RunOptions, io: RunIO): Promise<number> {
  // A signal during the checks (which run bpftrace --version/--help synchronously) must not kill
  // bt-run and orphan those children: note it, let the check finish, then stop before bpftrace starts.
  let interrupted: NodeJS.Signals | undefined;
  const early = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((sig) => [sig, () => (interrupted ??= sig)] as const);
  for (const [sig, h] of early) io.signals?.on(sig, h);
  try {
    return await checkThenRun(opts, io, () => interrupted);
  } finally {
    for (const [sig, h] of early) io.signals?.off(sig, h);
  }
}

const SIGNAL_EXIT: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

async function checkThenRun(opts: RunOptions, io: RunIO, interruptedBy: () => NodeJS.Signals | undefined): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`bt-run: ${message}\n`);
    return EXIT_NOT_STARTED;
  };

  const located = locateBpftrace(opts.bpftrace, io.env);
  if (!located.ok) return fail(located.message);
  const version = readVersion(located.path);
  if (!version.ok) return fail(version.message);
  if (opts.verbose) io.stderr.write(`bt-run: using ${located.path} (bpftrace ${version.full}, from ${located.source})\n`);

  const args: string[] = [];
  let script: { label: string; text: string } | undefined;
  if (opts.list === undefined) {
    if (opts.program !== undefined) script = { label: "<-e>", text: opts.program };
    else if (opts.scriptPath !== undefined) {
      try {
        script = { label: opts.scriptPath, text: readFileSync(opts.scriptPath, "utf8") };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return fail(`cannot read ${opts.scriptPath}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message}`);
      }
    } else return fail("no script given: pass a script file, -e PROGRAM, or -l PATTERN (see bt-run --help)");
    const stop = lint(script, version, opts, io);
    if (stop) return stop;
  }

  const problem = privilegeProblem(version.release, io.credentials ?? currentCredentials());
  if (problem) return fail(problem);

  const features = readFeatures(located.path);
  if (opts.dryRun && !features.dryRun) {
    return fail(`bpftrace ${version.release} has no --dry-run (0.23 and later have it); the script was checked and not run`);
  }

  // Output mode: render (default) and --json read `-f json`; --raw and -o leave bpftrace's text alone.
  const toFile = opts.output !== undefined;
  const parseJson = !opts.raw && !toFile && opts.list === undefined && features.json;
  if (opts.json && !features.json) return fail(`bpftrace ${version.release} has no JSON output (-f json)`);
  if (parseJson || (opts.json && toFile)) args.push("-f", "json");
  if (toFile) args.push("-o", opts.output!);
  if (opts.quiet) args.push("-q");
  if (opts.unsafe) args.push("--unsafe");
  if (opts.dryRun) args.push("--dry-run");
  if (opts.pid !== undefined) args.push("-p", opts.pid);

  let command: CommandArgument | undefined;
  if (opts.command.length > 0) {
    const program = resolveProgram(opts.command[0], io.env);
    if (!program.ok) return fail(program.message);
    try {
      command = commandArgument([program.path, ...opts.command.slice(1)]);
    } catch (e) {
      return fail(`cannot prepare the command: ${(e as Error).message}`);
    }
    args.push("-c", command.cmd);
  }

  if (opts.list !== undefined) {
    args.push("-l");
    if (opts.list !== true) {
      args.push(resolveListPattern(opts.list, (target) => resolveTarget(target, { pathEnv: io.env.PATH ?? "" })));
    }
  } else if (opts.program !== undefined) args.push("-e", opts.program);
  else args.push(opts.scriptPath!);
  args.push(...opts.params);

  const units = new Map(script ? histogramUnits(script.text, version.lintTarget) : []);
  for (const [map, unit] of opts.units) units.set(map, unit);

  if (opts.verbose) io.stderr.write(`bt-run: ${[located.path, ...args].map((a) => JSON.stringify(a)).join(" ")}\n`);
  // The checks above block the event loop, and a signal that arrived meanwhile waits in libuv's
  // signal pipe until a poll phase reads it. A timer can fire before that poll on a loaded machine;
  // two setImmediate turns cannot: the second one runs only after a full poll phase.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  const signal = interruptedBy();
  if (signal) {
    command?.cleanup();
    io.stderr.write(`bt-run: ${signal} before bpftrace started; nothing was run\n`);
    return SIGNAL_EXIT[signal] ?? EXIT_NOT_STARTED;
  }
  try {
    return await supervise(located.path, args, { ...opts, units, parseJson, filterList: opts.list !== undefined ? opts.listFilter : undefined }, io);
  } finally {
    command?.cleanup();
  }
}

/** Prints findings; returns an exit code when they stop the run. */
function lint(script: { label: string; text: string }, version: BpftraceVersion, opts: RunOptions, io: RunIO): number | undefined {
  const machine = opts.machine ? createMachine({ resolve: { pathEnv: io.env.PATH } }) : undefined;
  const pid = opts.pid !== undefined ? Number(opts.pid) : undefined;
  const findings = validate(script.text, {
    target: version.lintTarget,
    filePath: opts.scriptPath,
    machine,
    pid,
    positionalParameters: opts.params,
    unsafe: opts.unsafe,
  });
  for (const f of findings) if (f.severity !== "info" || opts.verbose) io.stderr.write(`${formatFinding(f, script.label)}\n`);
  // What the machine could not tell (a partial list, a missing tool): a quiet pre-check is not a full one.
  if (opts.verbose) for (const problem of machine?.problems() ?? []) io.stderr.write(`bt-run: machine check: ${problem}\n`);
  const errors = findings.filter((f) => f.severity === "error");
  if (errors.length === 0) return undefined;
  const onMachine = errors.filter((f) => f.ruleId.startsWith("machine-")).length;
  const what =
    `${errors.length} error${errors.length === 1 ? "" : "s"} for bpftrace ${version.full}` +
    (onMachine > 0 ? ` (${onMachine} on this machine: ${onMachine === 1 ? "it" : "they"} would stop bpftrace from attaching; --no-machine skips these checks)` : "");
  if (opts.force) {
    io.stderr.write(`bt-run: ${what}; running anyway (--force)\n`);
    return undefined;
  }
  io.stderr.write(`bt-run: not started: ${what} (fix the script, or use --force to run anyway)\n`);
  return EXIT_NOT_STARTED;
}

interface SuperviseOptions extends RunOptions {
  parseJson: boolean;
  filterList?: string;
}

function listMatcher(filter: string): (line: string) => boolean {
  const re = /^\/(.*)\/([a-z]*)$/.exec(filter);
  if (re) {
    const rx = new RegExp(re[1], re[2]);
    return (l) => rx.test(l);
  }
  return (l) => l.includes(filter);
}

/** Runs bpftrace to completion; resolves with the exit code bt-run should return. */
function supervise(path: string, args: string[], opts: SuperviseOptions, io: RunIO): Promise<number> {
  return new Promise((resolvePromise) => {
    const pipeStdout = opts.parseJson || opts.filterList !== undefined;
    let child: ChildProcess;
    try {
      child = spawnBpftrace(path, args, { pipeStdout });
    } catch (e) {
      io.stderr.write(`bt-run: could not start ${path}: ${(e as Error).message}\n`);
      resolvePromise(EXIT_NOT_STARTED);
      return;
    }

    let stopping = 0;
    const timers: NodeJS.Timeout[] = [];
    const alive = () => child.exitCode === null && child.signalCode === null;
    // First request: SIGINT, so END probes run and maps print; escalate if bpftrace hangs.
    const stop = (why?: string) => {
      if (!alive()) return;
      stopping++;
      if (why && opts.verbose) io.stderr.write(`bt-run: ${why}: stopping bpftrace\n`);
      if (stopping === 1) {
        child.kill("SIGINT");
        timers.push(setTimeout(() => alive() && child.kill("SIGTERM"), TERM_AFTER_MS).unref());
        timers.push(setTimeout(() => alive() && child.kill("SIGKILL"), TERM_AFTER_MS + KILL_AFTER_MS).unref());
      } else if (stopping === 2) child.kill("SIGTERM");
      else child.kill("SIGKILL");
    };
    const onSignal = (sig: NodeJS.Signals) => () => stop(`received ${sig}`);
    const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((sig) => [sig, onSignal(sig)] as const);
    for (const [sig, h] of handlers) io.signals?.on(sig, h);
    // Last resort if bt-run exits while bpftrace still runs (an exception, a closed pipe).
    const onExit = () => {
      if (alive()) child.kill("SIGTERM");
    };
    process.on("exit", onExit);
    if (opts.durationMs !== undefined) timers.push(setTimeout(() => stop("--duration elapsed"), opts.durationMs));
    // A closed stdout (`bt-run … | head`) ends the run instead of crashing on EPIPE.
    const onStdoutError = () => stop("stdout closed");
    io.stdout.on("error", onStdoutError);

    let spawnError: Error | undefined;
    child.on("error", (e) => {
      spawnError = e;
    });

    if (child.stdout) {
      const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
      const keep = opts.filterList !== undefined ? listMatcher(opts.filterList) : undefined;
      lines.on("line", (line) => {
        if (keep) {
          if (keep(line)) io.stdout.write(`${line}\n`);
          return;
        }
        for (const ev of normalizeLine(line, { units: opts.units })) {
          if (opts.json) io.stdout.write(`${JSON.stringify(ev)}\n`);
          else if (ev.type === "attached") {
            if (!opts.quiet) io.stderr.write(`Attached ${ev.probes} probe${ev.probes === 1 ? "" : "s"}\n`);
          } else io.stdout.write(renderEvent(ev));
        }
      });
    }
    if (child.stderr) {
      const lines = createInterface({ input: child.stderr, crlfDelay: Infinity });
      lines.on("line", (line) => {
        if (!opts.verbose && isHarmlessStderr(line)) return;
        io.stderr.write(`${line}\n`);
      });
    }

    child.on("close", (code, signal) => {
      for (const t of timers) clearTimeout(t);
      for (const [sig, h] of handlers) io.signals?.off(sig, h);
      process.off("exit", onExit);
      io.stdout.off("error", onStdoutError);
      if (spawnError) {
        io.stderr.write(`bt-run: could not start ${path}: ${spawnError.message}\n`);
        resolvePromise(EXIT_NOT_STARTED);
        return;
      }
      if (code !== null) resolvePromise(code);
      else {
        const signo: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGKILL: 9, SIGHUP: 1, SIGSEGV: 11, SIGABRT: 6, SIGPIPE: 13 };
        resolvePromise(128 + (signo[signal ?? ""] ?? 0));
      }
    });
  });
}
