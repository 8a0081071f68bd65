/**
 * bt-lint command line. Exit codes: 0 clean, 1 findings at or above the failing severity
 * (any error, or more warnings than --max-warnings), 2 usage or internal error.
 */
import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { Command, CommanderError, Option } from "commander";
import { glob, isDynamicPattern } from "tinyglobby";
import writeFileAtomic from "write-file-atomic";
import { callOnLargeStack, encodeSource, needsLargeStack, parseBpftraceVersion, readSourceFile, rewriteMode, UnwritableFileError, writeInPlace } from "@bt/parser";
import { createMachine, type Machine } from "@bt/system";
import { applyFixes } from "../fix.ts";
import { lintText, resolveTarget, UsageError } from "../lint.ts";
import { rules } from "../rules/index.ts";
import type { Finding, RuleSetting } from "../types.ts";
import { ConfigError, createConfigResolver, effectiveRules, parseSetting } from "./config.ts";
import { FORMATS, format, type FileResult, type FormatName } from "./formatters.ts";

export const VERSION = "0.1.0";

export interface Io {
  stdout: (s: string) => void;
  /** Program text as bytes (encodeSource): bytes of the input that are not UTF-8 reach stdout unchanged. */
  stdoutBytes?: (b: Uint8Array) => void;
  stderr: (s: string) => void;
  /** Standard input decoded with decodeSource (bytes that are not UTF-8 kept). */
  readStdin: () => Promise<string>;
  cwd: string;
  isTTY: boolean;
  /** Whether standard error is a terminal (colours for findings printed there by stdin `--fix`). */
  stderrIsTTY?: boolean;
  /** A script serving the "lint" job (lintOnLargeStack): set by dist/bt-lint.js to itself. */
  largeStackEntry?: URL;
}

/** lintText's options that cross to a worker: the machine is rebuilt there. */
export type LargeStackLintOptions = Omit<Parameters<typeof lintText>[1] & object, "machine"> & { machine: boolean };

/** The "lint" job: lintText on the thread's (large) stack. */
export function lintOnLargeStack({ text, options }: { text: string; options: LargeStackLintOptions }) {
  return lintText(text, { ...options, machine: options.machine ? createMachine() : undefined });
}

interface Options {
  format: FormatName;
  fix?: boolean;
  fixDryRun?: boolean;
  target?: string;
  maxWarnings?: number;
  rule: string[];
  stdin?: boolean;
  stdinFilename?: string;
  printConfig?: string;
  fs: boolean;
  machine?: boolean;
  param?: string[];
  unsafe?: boolean;
  color?: boolean;
}

const execFileP = promisify(execFile);

/** `bpftrace --version` → the release to check against (clamped like bt-run and the language server), via execFile with an argument array. */
export async function installedRelease(binary = process.env.BT_BPFTRACE ?? "bpftrace"): Promise<string> {
  let stdout: string;
  try {
    ({ stdout } = await execFileP(binary, ["--version"], { timeout: 10_000 }));
  } catch (err) {
    throw new UsageError(`--target installed: cannot run "${binary} --version": ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
  }
  const v = parseBpftraceVersion(stdout);
  if (!v) throw new UsageError(`--target installed: "${binary} --version" printed "${stdout.trim().split("\n")[0]}", not "bpftrace vX.Y.Z"`);
  return v.target;
}

async function expandInputs(inputs: string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    if (isDynamicPattern(input)) {
      const found = await glob(input, { cwd, absolute: false, onlyFiles: true, ignore: ["**/node_modules/**"] });
      if (found.length === 0) throw new UsageError(`no files match the pattern "${input}"`);
      out.push(...found.sort());
      continue;
    }
    let st;
    try {
      st = statSync(resolve(cwd, input));
    } catch {
      throw new UsageError(`no such file or directory: ${input}`);
    }
    if (st.isDirectory()) {
      const found = await glob("**/*.bt", { cwd: resolve(cwd, input), ignore: ["**/node_modules/**", "**/.git/**"] });
      out.push(...found.sort().map((f) => `${input.replace(/\/+$/, "")}/${f}`));
    } else {
      out.push(input);
    }
  }
  return [...new Set(out)];
}

function parseRuleOptions(list: string[]): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const item of list) {
    const m = /^([A-Za-z0-9_-]+)=(.*)$/.exec(item);
    if (!m) throw new UsageError(`--rule expects id=off|info|warn|error, got "${item}"`);
    if (!(m[1] in rules)) throw new UsageError(`--rule: unknown rule "${m[1]}" (known: ${Object.keys(rules).join(", ")})`);
    try {
      out[m[1]] = parseSetting(m[2], `--rule ${m[1]}`);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  return out;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const program = new Command("bt-lint")
    .description("Lint bpftrace programs for real mistakes, for the release you target.")
    .version(VERSION)
    .argument("[files...]", "files, folders (all *.bt inside) or globs")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("stylish"))
    .option("--fix", "apply exact fixes to the files (atomically; never writes text that does not parse); with stdin, print the fixed text to stdout and the findings to stderr")
    .option("--fix-dry-run", "compute fixes without writing; --format json adds the fixed text as `output`")
    .option("-t, --target <release>", "bpftrace release to check against (0.16 … 0.27, or `installed`)")
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`--max-warnings expects a non-negative integer, got "${v}"`);
      return n;
    })
    .option("--rule <id=severity>", "set a rule's severity (repeatable)", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option("--stdin", "lint the text on standard input")
    .option("--stdin-filename <name>", "file name to report (and find configuration from) for --stdin")
    .option("--print-config <file>", "print the configuration that applies to <file> and exit")
    .option("--no-fs", "do not look at the file system (nix-store glob counts, uprobe binary symbols)")
    .option("--machine", "check attach points, wildcards and fields against this machine (kernel BTF, kallsyms, tracefs, ELF symbols, DWARF)")
    .option("--param <value>", "a positional parameter of the run ($1, then $2, … in order; repeatable): $N is then typed from its value, and one not given is reported, as bpftrace does", (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option("--unsafe", "the run has bpftrace's --unsafe (system() and other unsafe functions allowed)")
    .option("--no-unsafe", "the run has no --unsafe: unsafe functions such as system() are errors (default: not judged)")
    .option("--color", "force colours")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  let files: string[];
  let opts: Options;
  try {
    program.parse(argv, { from: "user" });
    files = program.args;
    opts = program.opts<Options>();
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    io.stderr(`bt-lint: ${(err as Error).message}\n`);
    return 2;
  }

  try {
    const cliRules = parseRuleOptions(opts.rule);
    const resolveConfig = createConfigResolver();
    let installed: string | undefined;
    const targetFor = async (requested: string | undefined): Promise<string> => {
      if (requested === "installed") return (installed ??= await installedRelease());
      return resolveTarget(requested);
    };
    const settingsFor = async (file: string | undefined) => {
      const { config, file: configFile } = resolveConfig(file);
      const target = await targetFor(opts.target ?? config.target);
      return { target, rules: { ...config.rules, ...cliRules }, configFile, machine: (opts.machine ?? config.machine ?? false) && opts.fs };
    };
    // One machine for the whole run: each source (BTF, kallsyms, tracefs, a binary) is read once.
    let machine: Machine | undefined;
    const machineFor = (wanted: boolean) => (wanted ? (machine ??= createMachine()) : undefined);

    if (opts.printConfig) {
      const s = await settingsFor(opts.printConfig);
      io.stdout(JSON.stringify({ target: s.target, configFile: s.configFile ?? null, machine: s.machine, rules: effectiveRules(s.rules) }, null, 2) + "\n");
      return 0;
    }

    const useStdin = opts.stdin || (files.length === 0 && opts.stdinFilename !== undefined);
    if (!useStdin && files.length === 0) {
      io.stderr("bt-lint: no files given (pass files, folders or globs, or --stdin)\n");
      return 2;
    }
    if (useStdin && files.length > 0) {
      io.stderr("bt-lint: give either files or --stdin, not both\n");
      return 2;
    }

    const results: FileResult[] = [];
    const lintOne = async (display: string, text: string, fsPath: string | undefined, write: boolean): Promise<FileResult> => {
      const s = await settingsFor(fsPath);
      const lintOpts = {
        target: s.target,
        filePath: fsPath,
        rules: s.rules,
        readFileSystem: opts.fs,
        machine: machineFor(s.machine),
        positionalParameters: opts.param,
        unsafe: opts.unsafe,
      };
      // Nesting past MAX_NESTING is linted in a worker with a large stack, as deep as bpftrace takes it.
      const lint = (source: string) =>
        io.largeStackEntry && needsLargeStack(source)
          ? callOnLargeStack<ReturnType<typeof lintText>>(io.largeStackEntry, "lint", { text: source, options: { ...lintOpts, machine: Boolean(lintOpts.machine) } })
          : lintText(source, lintOpts);
      let result = lint(text);
      if (!(opts.fix || opts.fixDryRun) || !result.findings.some((f) => f.fix)) return { file: display, findings: result.findings };
      let fixedText = text;
      let fixed = 0;
      for (let pass = 0; pass < 10; pass++) {
        const r = applyFixes(fixedText, result.findings);
        if (r.applied === 0) break;
        const next = lint(r.text);
        if (!next.parseOk) break; // never produce text that does not parse
        fixedText = r.text;
        fixed += r.applied;
        result = next;
      }
      if (fixed === 0) return { file: display, findings: result.findings };
      if (write && opts.fix && !opts.fixDryRun) {
        try {
          if (rewriteMode(fsPath!) === "in-place") writeInPlace(fsPath!, fixedText); // a rename would split hard links
          else await writeFileAtomic(fsPath!, encodeSource(fixedText));
        } catch (err) {
          if (err instanceof UnwritableFileError) throw new UsageError(`cannot fix ${display}: ${err.message}`);
          throw err;
        }
        return { file: display, findings: result.findings, fixed };
      }
      return { file: display, findings: result.findings, fixed, output: fixedText };
    };

    // `--fix` on stdin works like prettier: the whole (fixed) source goes to stdout, the remaining findings to stderr.
    let fixedStdout: string | undefined;
    if (useStdin) {
      const text = await io.readStdin();
      const name = opts.stdinFilename ?? "<stdin>";
      const r = await lintOne(name, text, opts.stdinFilename ? resolve(io.cwd, opts.stdinFilename) : undefined, false);
      if (opts.fix && !opts.fixDryRun) {
        fixedStdout = r.output ?? text;
        delete r.output;
      }
      results.push(r);
    } else {
      const paths = await expandInputs(files, io.cwd);
      for (const p of paths) {
        const abs = resolve(io.cwd, p);
        let text: string;
        try {
          text = readSourceFile(abs);
        } catch (err) {
          throw new UsageError(`cannot read ${p}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
        results.push(await lintOne(p, text, abs, true));
      }
    }

    if (fixedStdout !== undefined) {
      if (io.stdoutBytes) io.stdoutBytes(encodeSource(fixedStdout));
      else io.stdout(fixedStdout);
      const report = format(opts.format, results, { cwd: io.cwd, version: VERSION, color: opts.color ?? io.stderrIsTTY ?? false });
      if (report) io.stderr(report);
    } else {
      io.stdout(format(opts.format, results, { cwd: io.cwd, version: VERSION, color: opts.color ?? io.isTTY }));
    }
    // What the machine could not tell (a partial list, binutils missing) is said once, so a clean report is not mistaken for a full check.
    for (const problem of machine?.problems() ?? []) io.stderr(`bt-lint --machine: ${problem}\n`);
    const all: Finding[] = results.flatMap((r) => r.findings);
    const errors = all.filter((f) => f.severity === "error").length;
    const warnings = all.filter((f) => f.severity === "warning").length;
    if (errors > 0) return 1;
    if (opts.maxWarnings !== undefined && warnings > opts.maxWarnings) {
      if (opts.format === "stylish") io.stderr(`bt-lint found too many warnings (maximum: ${opts.maxWarnings}).\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      io.stderr(`bt-lint: ${err.message}\n`);
      return 2;
    }
    io.stderr(`bt-lint: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}
