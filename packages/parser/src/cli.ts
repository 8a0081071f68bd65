/**
 * bt-parse [--target V] [--json] FILE…   (`-` reads standard input)
 *
 * Parses bpftrace programs and prints their diagnostics as
 * `file:line:col: severity: message`, or with --json one JSON object per file
 * per line. Exit status: 0 no errors, 1 some error diagnostic, 2 usage error or
 * an unreadable file.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { LATEST_RELEASE, RELEASES, callOnLargeStack, needsLargeStack, parse, serveLargeStackJob, toRelease, type Diagnostic, type Release } from "./index.ts";
import { decodeSource } from "./source-bytes.ts";
import pkg from "../package.json" with { type: "json" };

/** Larger inputs are refused (exit 2) rather than risking the process's memory. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

class InputError extends Error {}

function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ERR_FS_FILE_TOO_LARGE":
      return "file too large";
    default:
      return e?.message ? String(e.message).split("\n")[0]! : String(err);
  }
}

function readAll(fd: number, what: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.allocUnsafe(1 << 20);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") continue; // non-blocking stdin: try again
      if (code === "EOF") break;
      throw new InputError(`${what}: cannot read: ${describeFsError(err)}`);
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_INPUT_BYTES) {
      throw new InputError(`${what}: input larger than ${MAX_INPUT_BYTES / (1024 * 1024)} MiB, refusing to parse`);
    }
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks, total);
}

/** Reads a file (or stdin for `-`) and decodes it as UTF-8, never throwing anything but InputError. */
export function readInput(file: string): string {
  let bytes: Buffer;
  if (file === "-") {
    bytes = readAll(0, "<stdin>");
  } else {
    let st;
    try {
      st = statSync(file);
    } catch (err) {
      throw new InputError(`${file}: cannot read: ${describeFsError(err)}`);
    }
    if (st.isDirectory()) throw new InputError(`${file}: cannot read: is a directory`);
    if (st.isFile() && st.size > MAX_INPUT_BYTES) {
      throw new InputError(`${file}: input larger than ${MAX_INPUT_BYTES / (1024 * 1024)} MiB, refusing to parse`);
    }
    let fd: number;
    try {
      fd = openSync(file, "r");
    } catch (err) {
      throw new InputError(`${file}: cannot read: ${describeFsError(err)}`);
    }
    try {
      fstatSync(fd);
      bytes = readAll(fd, file);
    } finally {
      closeSync(fd);
    }
  }
  // Bytes that are not UTF-8 stay distinct (decodeSource); a byte-order mark is kept, and parse reports it.
  return decodeSource(bytes);
}

export interface JsonDiagnostic {
  severity: Diagnostic["severity"];
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function toJsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  return {
    severity: d.severity,
    message: d.message,
    line: d.range.start.line,
    column: d.range.start.column,
    endLine: d.range.end.line,
    endColumn: d.range.end.column,
  };
}

function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.range.start.offset - b.d.range.start.offset || a.i - b.i)
    .map((x) => x.d);
}

const oneLine = (s: string) => s.replace(/\r?\n/g, " ");

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** Runs the CLI and returns its exit status (0, 1 or 2). */
export function main(argv: string[], io: CliIo): number {
  const program = new Command();
  let status = 0;
  program
    .name("bt-parse")
    .description("Parse bpftrace programs and report syntax diagnostics.")
    .version(`bt-parse ${pkg.version}`, "-V, --version")
    .addOption(
      new Option("-t, --target <version>", `bpftrace release to check against (${RELEASES[0]}..${LATEST_RELEASE})`).default(
        LATEST_RELEASE,
      ),
    )
    .option("--json", "print one JSON object per file, one per line")
    .argument("<file...>", "bpftrace program files; - reads standard input")
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (str, write) => write(str.endsWith("\n") ? str : `${str}\n`),
    })
    .showSuggestionAfterError(true)
    .action((files: string[], opts: { target: string; json?: boolean }) => {
      const target = toRelease(opts.target);
      if (!target || !/^v?\d+\.\d+(\.\d+)?$/.test(opts.target.trim())) {
        io.stderr(`bt-parse: unknown --target '${opts.target}' (known: ${RELEASES.join(", ")})\n`);
        status = 2;
        return;
      }
      status = run(files, target, !!opts.json, io);
    });
  try {
    program.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; everything else is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    io.stderr(`bt-parse: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    return 2;
  }
  return status;
}

function run(files: string[], target: Release, json: boolean, io: CliIo): number {
  let status = 0;
  for (const file of files) {
    const shown = file === "-" ? "<stdin>" : file;
    let text: string;
    try {
      text = readInput(file);
    } catch (err) {
      const msg = err instanceof InputError ? err.message : `${shown}: cannot read: ${describeFsError(err)}`;
      io.stderr(`bt-parse: ${oneLine(msg)}\n`);
      status = 2;
      continue;
    }
    try {
      // The AST of deep nesting is as deep (a structured clone or a JSON.stringify of it on this
      // thread's stack would overflow), so the whole report is made on the large stack.
      const report = largeStackEntry && needsLargeStack(text) ? callOnLargeStack<FileReport>(largeStackEntry, "report", { file, text, target, json }) : reportFile(file, text, target, json);
      if (report.out) io.stdout(report.out);
      if (report.status > status) status = report.status;
    } catch (err) {
      // parse() promises never to throw; if it does, say so on one line.
      io.stderr(`bt-parse: ${shown}: internal parser error: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
      status = 2;
    }
  }
  return status;
}

interface FileReport {
  out: string;
  status: number;
}

function reportFile(file: string, text: string, target: Release, json: boolean): FileReport {
  const shown = file === "-" ? "<stdin>" : file;
  const result = parse(text, { target });
  const diagnostics = sortDiagnostics(result.diagnostics);
  const ok = !diagnostics.some((d) => d.severity === "error");
  if (json) {
    return { out: `${JSON.stringify({ file, target: result.target ?? target, ok, diagnostics: diagnostics.map(toJsonDiagnostic), ast: result.ast })}\n`, status: ok ? 0 : 1 };
  }
  let out = "";
  for (const d of diagnostics) out += `${shown}:${d.range.start.line}:${d.range.start.column}: ${d.severity}: ${oneLine(d.message)}\n`;
  return { out, status: ok ? 0 : 1 };
}

/** The script that serves "parse" on a large stack: the running bundle, set by runCli. */
let largeStackEntry: URL | undefined;

/** Entry point of the bundled dist/bt-parse.js (see scripts/build.mjs). */
export function runCli(): void {
  if (serveLargeStackJob({ report: (r: { file: string; text: string; target: Release; json: boolean }) => reportFile(r.file, r.text, r.target, r.json) })) return;
  largeStackEntry = new URL(import.meta.url);
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0); // reader went away (| head)
    throw err;
  });
  const chunks: string[] = [];
  const flush = () => {
    if (chunks.length) {
      process.stdout.write(chunks.join(""));
      chunks.length = 0;
    }
  };
  const code = main(process.argv.slice(2), {
    stdout: (s) => {
      chunks.push(s);
      if (chunks.length > 256) flush();
    },
    stderr: (s) => {
      flush();
      process.stderr.write(s);
    },
  });
  flush();
  process.exitCode = code;
}
