/**
 * `bt-run`: check a bpftrace script for the installed release, then run it for real.
 *
 *   bt-run [options] script.bt [params…] [-- command args…]
 *   bt-run [options] -e 'program' [params…] [-- command args…]
 *   bt-run -l 'uprobe:libc:*' [filter]
 */
import { Command, CommanderError, Option } from "commander";
import { parseDuration } from "./duration.ts";
import type { TimeUnit } from "./events.ts";
import { EXIT_NOT_STARTED, run, type RunOptions } from "./run.ts";

const UNIT_ALIASES: Record<string, TimeUnit> = { ns: "ns", us: "us", µs: "us", ms: "ms", s: "s" };

export function buildProgram(): Command {
  return new Command("bt-run")
    .description("Check a bpftrace script for the installed bpftrace release, then run it.")
    .usage("[options] <script.bt> [params...] [-- command [args...]]")
    .argument("[script]", "bpftrace script file (or, with -l, a filter for the listed probes)")
    .argument("[params...]", "positional parameters ($1, $2, …) handed to the script")
    .option("-e, --program <program>", "run this program text instead of a file")
    .option("--bpftrace <path>", "bpftrace binary to use (default: $BPFTRACE, then bpftrace on PATH)")
    .option("-p, --pid <pid>", "trace this process (bpftrace -p)")
    .option("-o, --output <file>", "let bpftrace write its output to FILE (bpftrace -o)")
    .option("-q, --quiet", "keep bpftrace's messages quiet (bpftrace -q)")
    .option("--unsafe", "allow unsafe functions such as system() (bpftrace --unsafe)")
    .option("-l, --list [pattern]", "list probes matching PATTERN, e.g. 'uprobe:libc:*'; SCRIPT then filters them")
    .option("--filter <text>", "with -l: keep probes containing TEXT (or matching /REGEX/)")
    .option("--dry-run", "check the script and attach its probes, then stop (bpftrace ≥ 0.23 here)")
    .option("--duration <time>", "stop after this long (30s, 500ms, 2m, 1m30s) with SIGINT, so END runs")
    .option("--json", "print bpftrace's events as normalised JSON, one object per line")
    .option("--raw", "print bpftrace's own text output unchanged (no histogram rendering)")
    .addOption(new Option("--unit <@map=unit...>", "values of a histogram map are durations in UNIT (ns, us, ms, s)"))
    .option("--force", "run even when the script has errors for this bpftrace release")
    .option("--no-machine", "do not check attach points and fields against this machine (kernel BTF, tracefs, binaries) before starting")
    .option("-v, --verbose", "show the bpftrace command line and warnings bt-run normally hides")
    .addHelpText(
      "after",
      `
Examples:
  bt-run exit-codes.bt -- /bin/false
  bt-run --duration 30s process-lifetime.bt
  bt-run -l 'uprobe:libc:*' libc_start

Exit status: bpftrace's own, or ${EXIT_NOT_STARTED} when bt-run did not start it (usage error,
errors in the script, no bpftrace, missing privileges).`,
    );
}

class UsageError extends Error {}

/** Parses argv (without node and script path) into run options; throws UsageError for bad values. */
export function parseArgs(argv: string[]): RunOptions | "exit-0" {
  // `--` ends bt-run's arguments; everything after it is the command to trace, kept verbatim.
  const dd = argv.indexOf("--");
  const own = dd < 0 ? argv : argv.slice(0, dd);
  const command = dd < 0 ? [] : argv.slice(dd + 1);

  const program = buildProgram();
  program.exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith("error:") ? `bt-run: ${s}` : s) });
  try {
    program.parse(own, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError && (e.code === "commander.helpDisplayed" || e.code === "commander.help")) return "exit-0";
    throw new UsageError("", { cause: e });
  }
  const o = program.opts<{
    program?: string;
    bpftrace?: string;
    pid?: string;
    output?: string;
    quiet?: boolean;
    unsafe?: boolean;
    list?: string | true;
    filter?: string;
    dryRun?: boolean;
    duration?: string;
    json?: boolean;
    raw?: boolean;
    unit?: string[];
    force?: boolean;
    verbose?: boolean;
    machine: boolean;
  }>();
  const [script, params] = program.processedArgs as [string | undefined, string[]];

  if (o.pid !== undefined && !/^\d+$/.test(o.pid)) throw new UsageError(`-p needs a process id, got "${o.pid}"`);
  let durationMs: number | undefined;
  if (o.duration !== undefined) {
    const d = parseDuration(o.duration);
    if (!d.ok) throw new UsageError(d.message);
    durationMs = d.ms;
  }
  const units = new Map<string, TimeUnit>();
  for (const spec of o.unit ?? []) {
    const m = /^(@\w*)=(\S+)$/.exec(spec);
    const unit = m && UNIT_ALIASES[m[2]];
    if (!m || !unit) throw new UsageError(`--unit needs @map=UNIT with UNIT one of ns, us, ms, s; got "${spec}"`);
    units.set(m[1], unit);
  }
  if (o.json && o.raw) throw new UsageError("--json and --raw exclude each other");

  let scriptPath: string | undefined = script;
  let allParams = params ?? [];
  let listFilter = o.filter;
  if (o.list !== undefined) {
    // `bt-run -l PATTERN FILTER`: the first operand filters the listing, like `| grep FILTER`.
    if (script !== undefined) {
      if (listFilter !== undefined) throw new UsageError("give the -l filter either as an operand or with --filter, not both");
      listFilter = script;
    }
    scriptPath = undefined;
    allParams = [];
    // A `/REGEX/` filter is compiled only once bpftrace runs: reject a bad one before anything starts.
    const rx = listFilter === undefined ? null : /^\/(.*)\/([a-z]*)$/.exec(listFilter);
    if (rx) {
      try {
        new RegExp(rx[1], rx[2]);
      } catch (e) {
        throw new UsageError(`the -l filter ${listFilter} is not a valid regular expression: ${(e as Error).message}`);
      }
    }
  } else if (o.program !== undefined) {
    // With -e every operand is a positional parameter.
    allParams = script === undefined ? [] : [script, ...allParams];
    scriptPath = undefined;
  }

  return {
    scriptPath,
    program: o.program,
    params: allParams,
    command,
    bpftrace: o.bpftrace,
    pid: o.pid,
    output: o.output,
    quiet: o.quiet ?? false,
    unsafe: o.unsafe ?? false,
    list: o.list,
    listFilter,
    dryRun: o.dryRun ?? false,
    durationMs,
    json: o.json ?? false,
    raw: o.raw ?? false,
    force: o.force ?? false,
    verbose: o.verbose ?? false,
    machine: o.machine,
    units,
  };
}

async function main(): Promise<number> {
  // A reader that goes away (`bt-run --help | head`) must not end bt-run with an EPIPE stack trace;
  // during a run, run.ts notices the closed stdout and stops bpftrace cleanly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") process.exitCode = EXIT_NOT_STARTED;
    });
  }
  let opts: RunOptions | "exit-0";
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`bt-run: ${e.message}\n`);
      return EXIT_NOT_STARTED;
    }
    throw e;
  }
  if (opts === "exit-0") return 0;
  return run(opts, { stdout: process.stdout, stderr: process.stderr, env: process.env, signals: process });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bt-run: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.BT_DEBUG) console.error(e);
    process.exitCode = EXIT_NOT_STARTED;
  },
);
