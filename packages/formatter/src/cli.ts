/**
 * bt-fmt [options] [FILE|DIR|GLOB …]   (`-` or no file reads standard input)
 *
 * Prints formatted bpftrace programs to stdout, or with --check lists the files
 * that would change, --diff prints unified diffs, --write rewrites files in
 * place (atomically, keeping their mode, never touching a file that does not
 * parse; a read-only file is refused, a hard-linked one is rewritten in place).
 * Bytes that are not UTF-8 (in strings and comments) are kept exactly. Settings come from .prettierrc / EditorConfig (as Prettier reads
 * them) and are overridden by --print-width / --tab-width / --use-tabs.
 * --range-start/--range-end format only the statements in that range (src/range.ts).
 *
 * Exit status: 0 success (and, with --check/--diff, everything already
 * formatted); 1 --check/--diff found a file that would change; 2 an error (a
 * syntax error, an unreadable or unwritable file, bad usage).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { decodeSource, encodeSource, needsLargeStack, readSourceFile, rewriteMode, UnwritableFileError, writeInPlace } from "@bt/parser";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { BpftraceSyntaxError } from "./parser.ts";
import type { FormatOptions } from "./format.ts";
import { formatJob, formatOnLargeStackFrom, serveFormatOnLargeStack, type FormatJob } from "./large-stack.ts";

export const EXIT_OK = 0;
export const EXIT_CHANGED = 1;
export const EXIT_ERROR = 2;

interface CliOptions {
  check?: boolean;
  write?: boolean;
  diff?: boolean;
  stdinFilepath?: string;
  printWidth?: number;
  tabWidth?: number;
  useTabs?: boolean;
  config: boolean;
  color?: boolean;
  rangeStart?: number;
  rangeEnd?: number;
}

interface Io {
  /** Program text arrives as bytes (encodeSource), so bytes that are not UTF-8 reach stdout unchanged. */
  stdout: (s: string | Uint8Array) => void;
  stderr: (s: string) => void;
  readStdin: () => string;
  /** A script serving the "format" job (runCli's bundle): deep nesting is formatted there. */
  largeStackEntry?: URL;
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin: () => decodeSource(readFileSync(0)),
};

class UsageError extends Error {}

type Colors = Record<"bold" | "green" | "red" | "cyan", (s: string) => string>;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a non-negative integer");
  return n;
}

// ---------------------------------------------------------------------------
// Configuration: Prettier's own resolver, loaded only when a candidate exists.

const CONFIG_NAMES = new Set([
  ".prettierrc",
  ".prettierrc.json",
  ".prettierrc.yaml",
  ".prettierrc.yml",
  ".prettierrc.json5",
  ".prettierrc.js",
  ".prettierrc.mjs",
  ".prettierrc.cjs",
  ".prettierrc.ts",
  ".prettierrc.mts",
  ".prettierrc.cts",
  ".prettierrc.toml",
  "prettier.config.js",
  "prettier.config.mjs",
  "prettier.config.cjs",
  "prettier.config.ts",
  "prettier.config.mts",
  "prettier.config.cts",
  "package.yaml",
  ".editorconfig",
]);

/** Set by the build for the CommonJS bundle run through the code-cache launcher (where `import()` is unavailable). */
declare const __BT_CJS__: boolean | undefined;

/**
 * The `require` that finds the full `prettier` package. A run started from the V8 startup
 * snapshot (src/snapshot.ts) replaces it: the snapshot builder's own `require` only knows
 * Node's built-in modules.
 */
let requirePackage: NodeJS.Require | undefined;

export function setPackageRequire(r: NodeJS.Require): void {
  requirePackage = r;
}

/** The full `prettier` package, only needed to resolve a configuration file. */
async function loadPrettier(): Promise<typeof import("prettier")> {
  if (typeof __BT_CJS__ !== "undefined" && __BT_CJS__) return (requirePackage ?? require)("prettier") as typeof import("prettier");
  return import("prettier");
}

const dirHasConfig = new Map<string, boolean>();

function directoryHasConfig(dir: string): boolean {
  let known = dirHasConfig.get(dir);
  if (known !== undefined) return known;
  known = false;
  try {
    for (const name of readdirSync(dir)) {
      if (CONFIG_NAMES.has(name)) {
        known = true;
        break;
      }
      if (name === "package.json") {
        try {
          const pkg = JSON.parse(readFileSync(join(dir, name), "utf8")) as Record<string, unknown>;
          if (pkg && typeof pkg === "object" && "prettier" in pkg) {
            known = true;
            break;
          }
        } catch {
          // an unreadable package.json is Prettier's business
        }
      }
    }
  } catch {
    known = false;
  }
  dirHasConfig.set(dir, known);
  return known;
}

function anyConfigAbove(file: string): boolean {
  let dir = dirname(resolve(file));
  for (;;) {
    if (directoryHasConfig(dir)) return true;
    const up = dirname(dir);
    if (up === dir) return false;
    dir = up;
  }
}

async function resolveFileOptions(file: string | undefined, cli: CliOptions): Promise<FormatOptions> {
  const out: FormatOptions = {};
  if (cli.config && file && anyConfigAbove(file)) {
    const prettier = await loadPrettier();
    const config = await prettier.resolveConfig(resolve(file), { editorconfig: true });
    if (config) {
      if (typeof config.printWidth === "number") out.printWidth = config.printWidth;
      if (typeof config.tabWidth === "number") out.tabWidth = config.tabWidth;
      if (typeof config.useTabs === "boolean") out.useTabs = config.useTabs;
    }
  }
  if (cli.printWidth !== undefined) out.printWidth = cli.printWidth;
  if (cli.tabWidth !== undefined) out.tabWidth = cli.tabWidth;
  if (cli.useTabs !== undefined) out.useTabs = cli.useTabs;
  if (file) out.filepath = file;
  return out;
}

// ---------------------------------------------------------------------------
// Expanding arguments into files

const SKIP_DIRS = new Set(["node_modules", ".git", ".hg", ".svn"]);

function listDir(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) listDir(p, out);
    } else if (entry.isFile() && entry.name.endsWith(".bt")) {
      out.push(p);
    }
  }
}

async function expandArgs(args: string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const arg of args) {
    if (existsSync(arg)) {
      if (statSync(arg).isDirectory()) listDir(arg, files);
      else files.push(arg);
      continue;
    }
    if (/[*?[\]{}]/.test(arg)) {
      const { glob } = await import("tinyglobby");
      const matches = await glob(arg, { ignore: ["**/node_modules/**", "**/.git/**"], onlyFiles: true });
      if (matches.length === 0) missing.push(arg);
      files.push(...matches.sort());
      continue;
    }
    missing.push(arg);
  }
  return { files: [...new Set(files)], missing };
}

// ---------------------------------------------------------------------------

/**
 * Nesting past MAX_NESTING is formatted whole (parse and print) in a worker with a large stack,
 * as deep as bpftrace takes it; without an entry script (main() called as a library) it is
 * formatted here, and the parser refuses it past MAX_NESTING.
 */
function formatDeep(entry: URL | undefined, job: FormatJob): Promise<string> | string {
  return entry ? formatOnLargeStackFrom(entry, job) : formatJob(job);
}

function describeError(err: unknown, name: string): string {
  if (err instanceof BpftraceSyntaxError) {
    return `${name}:${err.loc.start.line}:${err.loc.start.column}: error: ${err.reason}\n`;
  }
  if (err instanceof UnwritableFileError) return `${name}: error: ${err.message}\n`;
  const e = err as NodeJS.ErrnoException;
  const what =
    e?.code === "ENOENT"
      ? "no such file"
      : e?.code === "EACCES" || e?.code === "EPERM"
        ? "permission denied"
        : e?.code === "EISDIR"
          ? "is a directory"
          : firstLines(String(e?.message ?? err));
  return `${name}: error: ${what}\n`;
}

/** The first line of a message, and the next one when the first only introduces it (`YAML Error in "…/.prettierrc":`). */
function firstLines(message: string): string {
  const lines = message.split("\n").map((l) => l.trim()).filter(Boolean);
  if (lines.length > 1 && lines[0].endsWith(":")) return `${lines[0]} ${lines[1]}`;
  return lines[0] ?? message;
}

async function unifiedDiff(name: string, before: string, after: string): Promise<string> {
  const { createTwoFilesPatch } = await import("diff");
  return createTwoFilesPatch(name, name, before, after, "", "", { context: 3 });
}

function colorDiff(patch: string, color: boolean, pc: Colors | undefined): string {
  if (!color || !pc) return patch;
  return patch
    .split("\n")
    .map((l) =>
      l.startsWith("+++") || l.startsWith("---")
        ? pc.bold(l)
        : l.startsWith("+")
          ? pc.green(l)
          : l.startsWith("-")
            ? pc.red(l)
            : l.startsWith("@@")
              ? pc.cyan(l)
              : l,
    )
    .join("\n");
}

async function writeBack(file: string, text: string): Promise<void> {
  if (rewriteMode(file) === "in-place") {
    // a rename would leave the other names of a hard-linked file with the old text
    writeInPlace(file, text);
    return;
  }
  const { default: writeFileAtomic } = await import("write-file-atomic");
  // write-file-atomic writes a temporary file beside the target and renames it;
  // without an explicit mode it keeps the existing file's mode and owner.
  await writeFileAtomic(file, encodeSource(text));
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const program = new Command()
    .name("bt-fmt")
    .description("Format bpftrace programs (Prettier with prettier-plugin-bpftrace).")
    .argument("[paths...]", "files, directories (searched for *.bt) or globs; `-` or nothing reads stdin")
    .option("-c, --check", "list files that are not formatted; exit 1 if any")
    .option("-w, --write", "rewrite files in place (atomically)")
    .option("--diff", "print a unified diff of the changes; exit 1 if any")
    .option("--stdin-filepath <path>", "path used for stdin (config lookup and messages)")
    .option("--print-width <n>", "line width (default 90)", positiveInt)
    .option("--tab-width <n>", "spaces per indentation level (default 2)", positiveInt)
    .option("--use-tabs", "indent with tabs")
    .option("--no-use-tabs", "indent with spaces")
    .option("--range-start <offset>", "format only the statements from this character offset on", positiveInt)
    .option("--range-end <offset>", "format only the statements before this character offset", positiveInt)
    .option("--no-config", "ignore .prettierrc and .editorconfig")
    .option("--color", "colour diffs")
    .option("--no-color", "never colour output")
    .addHelpText(
      "after",
      "\nExit status: 0 success; 1 --check/--diff found unformatted files; 2 error (syntax error, I/O, usage).",
    )
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  let paths: string[];
  let cli: CliOptions;
  try {
    program.parse(argv, { from: "user" });
    paths = program.args;
    cli = program.opts<CliOptions>();
    if (cli.write && paths.length === 0) throw new UsageError("--write needs file arguments (stdin cannot be written back)");
    if (cli.write && paths.includes("-")) throw new UsageError("--write cannot rewrite stdin");
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    io.stderr(`bt-fmt: ${(err as Error).message}\n`);
    return EXIT_ERROR;
  }

  const useColor = cli.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  const pc = cli.diff && useColor ? ((await import("picocolors")).default as unknown as Colors) : undefined;
  let status = EXIT_OK;
  const fail = () => {
    status = EXIT_ERROR;
  };
  const changed = () => {
    if (status === EXIT_OK) status = EXIT_CHANGED;
  };

  const handle = async (name: string, text: string, configFile: string | undefined, writable: boolean) => {
    let formatted: string;
    try {
      const options = await resolveFileOptions(configFile, cli);
      const range = cli.rangeStart !== undefined || cli.rangeEnd !== undefined ? { start: cli.rangeStart ?? 0, end: cli.rangeEnd ?? text.length } : undefined;
      formatted = needsLargeStack(text) ? await formatDeep(io.largeStackEntry, { text, range, options }) : await formatJob({ text, range, options });
    } catch (err) {
      io.stderr(describeError(err, name));
      fail();
      return;
    }
    const differs = formatted !== text;
    if (cli.diff) {
      if (differs) {
        io.stdout(encodeSource(colorDiff(await unifiedDiff(name, text, formatted), useColor, pc)));
        if (!cli.write) changed();
      }
    } else if (cli.check) {
      if (differs) {
        io.stdout(`${name}\n`);
        if (!cli.write) changed();
      }
    } else if (!cli.write) {
      io.stdout(encodeSource(formatted));
    }
    if (cli.write && writable && differs) {
      try {
        await writeBack(name, formatted);
        if (!cli.check && !cli.diff) io.stderr(`formatted ${name}\n`);
      } catch (err) {
        io.stderr(describeError(err, name));
        fail();
      }
    }
  };

  if (paths.length === 0 || (paths.length === 1 && paths[0] === "-")) {
    let text: string;
    try {
      text = io.readStdin();
    } catch (err) {
      io.stderr(describeError(err, "<stdin>"));
      return EXIT_ERROR;
    }
    const name = cli.stdinFilepath ?? "<stdin>";
    await handle(name, text, cli.stdinFilepath ?? join(process.cwd(), "stdin.bt"), false);
    return status;
  }

  const { files, missing } = await expandArgs(paths.filter((p) => p !== "-"));
  for (const m of missing) {
    io.stderr(`bt-fmt: ${m}: error: no matching file\n`);
    fail();
  }
  for (const file of files) {
    let text: string;
    try {
      text = readSourceFile(file);
    } catch (err) {
      io.stderr(describeError(err, file));
      fail();
      continue;
    }
    const shown = relative(process.cwd(), file).startsWith(`..${sep}`) ? file : relative(process.cwd(), file) || file;
    await handle(shown, text, file, true);
  }
  return status;
}

export async function runCli(): Promise<void> {
  // Started by callOnLargeStack (deep nesting), this script only formats the text it is given.
  if (serveFormatOnLargeStack()) return;
  // A reader that goes away (`bt-fmt … | head`) ends the run quietly, not with an EPIPE stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  try {
    process.exitCode = await main(process.argv.slice(2), { ...defaultIo, largeStackEntry: new URL(import.meta.url) });
  } catch (err) {
    process.stderr.write(`bt-fmt: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = EXIT_ERROR;
  }
}
