/**
 * `npm run bench` (the package's `bench` script): the built bt-lsp over stdio, as an editor runs
 * it, measured in one run:
 *   - didChange → pull diagnostics, p50/p95, on the corpus's big.bt and on a 40-line tool, and
 *     their ratio, for three edits near the middle line, each typed and deleted again: a space,
 *     a digit at the end of a number, a letter at the end of a `$variable` (editsOf); the pulls
 *     send the last report's id, as VS Code and Neovim do;
 *   - completion and hover right after each kind of edit of big.bt (the request has to wait for the new
 *     version's parse), and hover while that version is being linted (in the worker thread);
 *   - whole-file formatting of big.bt in the server against the bt-fmt command on the same file;
 *   - the server's resident memory with a 5 MB file open and checked, and with every corpus
 *     program (index.json, 1,094 files) open and checked;
 *   - completion of kernel functions after `kprobe:` from this machine (its BTF and kallsyms):
 *     the first request (reads and sorts the names) and p50/p95 of the ones after it.
 * Needs /work/shared/corpus (or BT_CORPUS) and `npm run build` (dist/bt-lsp.js, bt-fmt).
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";

const run = promisify(execFile);
const pkg = fileURLToPath(new URL("..", import.meta.url));
const server = join(pkg, "dist", "bt-lsp.js");
const btFmt = join(pkg, "..", "formatter", "bin", "bt-fmt.js");
const corpus = resolve(process.env.BT_CORPUS ?? "/work/shared/corpus");
const bigFile = join(corpus, "bench", "big.bt");
const smallFile = join(corpus, "tools-HEAD", "syncsnoop.bt");
for (const needed of [server, bigFile, smallFile]) {
  if (!existsSync(needed)) {
    console.error(`bench: ${needed} is missing (run npm run build; set BT_CORPUS for the corpus)`);
    process.exit(2);
  }
}
const EDITS_BIG = Number(process.env.BT_BENCH_EDITS ?? 20);
const EDITS_SMALL = 60;

interface Session {
  connection: MessageConnection;
  pid: number;
  stop: () => Promise<void>;
}

async function startServer(): Promise<Session> {
  const child = spawn(process.execPath, [server, "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  // BT_BENCH_MACHINE=0: without this machine (bt.machine false), to compare.
  connection.onRequest("workspace/configuration", () => [{ target: "0.27", machine: process.env.BT_BENCH_MACHINE !== "0" }]);
  connection.onRequest("client/registerCapability", () => null);
  connection.onNotification("window/logMessage", () => {});
  connection.listen();
  await connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: null,
    capabilities: { workspace: { configuration: true }, textDocument: { diagnostic: { dynamicRegistration: false } } },
  });
  await connection.sendNotification("initialized", {});
  return {
    connection,
    pid: child.pid!,
    stop: async () => {
      await connection.sendRequest("shutdown");
      await connection.sendNotification("exit");
      await new Promise((r) => child.once("exit", r));
      connection.dispose();
    },
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** The edits the latency rows make: each types one character, and the next deletes it again. */
type EditKind = "space" | "number" | "variable";
const EDIT_KINDS: readonly EditKind[] = ["space", "number", "variable"];

/** Where an edit types and what; `token` is the text it extends (for the bench's rows). */
interface Edit {
  line: number;
  character: number;
  typed: string;
  token: string;
}

/**
 * The edits of `text`: a space at the end of the middle line; a digit typed at the end of the
 * number literal nearest the middle line (not a 0: `07` would be another kind of literal); a letter at the end of the `$variable` nearest it. A
 * file without numbers or variables in its code gets, for those, a letter at the end of the
 * string literal nearest the middle (still a token edit).
 */
function editsOf(text: string): Record<EditKind, Edit> {
  const lines = text.split("\n");
  const middle = Math.floor(lines.length / 2);
  const nearest = [...lines.keys()].sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle) || a - b);
  const strings = /"(?:[^"\\]|\\.)*"/g;
  /** The line's code: nothing for a comment line, strings and line comments blanked. */
  const code = (line: string) => (/^\s*(\/\/|\/\*|\*|#)/.test(line) ? "" : line.replace(strings, (m) => " ".repeat(m.length)).replace(/\/\/.*$/, ""));
  const find = (pattern: RegExp, typed: string): Edit | undefined => {
    for (const line of nearest) {
      const match = [...code(lines[line]).matchAll(pattern)].at(-1);
      if (match) return { line, character: match.index + match[0].length, typed, token: match[0] };
    }
    for (const line of nearest) {
      const match = code(lines[line]) === "" ? undefined : [...lines[line].matchAll(strings)].at(-1);
      if (match) return { line, character: match.index + match[0].length - 1, typed: "x", token: match[0] };
    }
    return undefined;
  };
  const number = find(/(?<![\w$@.])[1-9]\d*(?![\w.])/g, "7");
  const variable = find(/\$[A-Za-z_]\w*/g, "x");
  if (!number || !variable) throw new Error("bench: no number, variable or string to edit");
  return { space: { line: middle, character: lines[middle].length, typed: " ", token: "" }, number, variable };
}

/** What an edit does, for a row: `$now → $nowx, line 5850`. */
function describe(edit: Edit): string {
  if (edit.token === "") return `space typed at the end of line ${edit.line + 1}`;
  return `${edit.token} → ${edit.token.endsWith('"') ? edit.token.slice(0, -1) + edit.typed + '"' : edit.token + edit.typed}, line ${edit.line + 1}`;
}

/** A document in the server, edited by typing a character and deleting it again. */
class OpenDocument {
  version = 1;
  readonly edits: Record<EditKind, Edit>;
  /** Where the last edit typed a character, until the next edit deletes it. */
  private typedAt?: { line: number; character: number };
  constructor(
    readonly session: Session,
    readonly uri: string,
    readonly text: string,
  ) {
    this.edits = editsOf(text);
  }

  static async open(session: Session, path: string, text = readFileSync(path, "utf8")): Promise<OpenDocument> {
    const uri = pathToFileURL(path).href;
    await session.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "bpftrace", version: 1, text } });
    return new OpenDocument(session, uri, text);
  }

  /** Types the `kind` edit's character, or deletes what the last edit typed (later items then move back). */
  async edit(kind: EditKind = "space"): Promise<void> {
    const typedAt = this.typedAt;
    let change;
    if (typedAt) {
      change = { range: { start: typedAt, end: { line: typedAt.line, character: typedAt.character + 1 } }, text: "" };
      this.typedAt = undefined;
    } else {
      const { line, character, typed } = this.edits[kind];
      change = { range: { start: { line, character }, end: { line, character } }, text: typed };
      this.typedAt = { line, character };
    }
    this.version++;
    await this.session.connection.sendNotification("textDocument/didChange", { textDocument: { uri: this.uri, version: this.version }, contentChanges: [change] });
  }

  /** The id of the last full report, sent back as VS Code and Neovim ≥ 0.11 do (the server may then answer `unchanged`). */
  private resultId?: string;
  /** How many pulls were answered `unchanged` and how many with a full report. */
  readonly reports = { unchanged: 0, full: 0 };

  async diagnostics(): Promise<unknown> {
    const report = (await this.session.connection.sendRequest("textDocument/diagnostic", {
      textDocument: { uri: this.uri },
      ...(this.resultId ? { previousResultId: this.resultId } : {}),
    })) as { kind: "full" | "unchanged"; resultId?: string };
    this.reports[report.kind]++;
    if (report.resultId) this.resultId = report.resultId;
    return report;
  }
}

async function rssMiB(pid: number): Promise<number> {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

const rows: [string, string][] = [];
/** `BT_BENCH_ONLY=latency|memory|machine` runs only those rows. */
const only = process.env.BT_BENCH_ONLY;
if (!only || only === "latency") await latencyRows();
if (!only || only === "memory") {
  await memoryRows();
  await corpusMemoryRow();
}
if (!only || only === "machine") await machineRows();

async function latencyRows(): Promise<void> {
  const session = await startServer();
  try {
    // didChange → pull diagnostics
    const small = await OpenDocument.open(session, smallFile);
    const big = await OpenDocument.open(session, bigFile);
    await small.diagnostics();
    await big.diagnostics();
    // Each kind of edit typed and deleted again, pulling diagnostics after each change: a space
    // (no token changes), a digit of a number, a letter of a variable's name.
    const timesOf = async (doc: OpenDocument, kind: EditKind, edits: number) => {
      const times: number[] = [];
      const unchangedBefore = doc.reports.unchanged;
      for (let i = 0; i < edits; i++) {
        await doc.edit(kind);
        times.push(await timed(() => doc.diagnostics()));
      }
      return { times, unchanged: doc.reports.unchanged - unchangedBefore };
    };
    for (const kind of EDIT_KINDS) {
      const smallRun = await timesOf(small, kind, EDITS_SMALL);
      const bigRun = await timesOf(big, kind, EDITS_BIG);
      const smallP95 = percentile(smallRun.times, 95);
      const bigP95 = percentile(bigRun.times, 95);
      rows.push([
        `${kind} edit → pull diagnostics, 40-line tool: ${describe(small.edits[kind])} (${EDITS_SMALL} edits, ${smallRun.unchanged} answered unchanged) p50 / p95`,
        `${percentile(smallRun.times, 50).toFixed(1)} / ${smallP95.toFixed(1)} ms`,
      ]);
      rows.push([
        `${kind} edit → pull diagnostics, big.bt 11,708 lines: ${describe(big.edits[kind])} (${EDITS_BIG} edits, ${bigRun.unchanged} answered unchanged) p50 / p95`,
        `${percentile(bigRun.times, 50).toFixed(1)} / ${bigP95.toFixed(1)} ms`,
      ]);
      rows.push([`big.bt / 40-line p95, ${kind} edit`, `${(bigP95 / smallP95).toFixed(1)}×`]);
    }

    // completion and hover right after an edit of big.bt
    const bigLines = big.text.split("\n");
    const hoverLine = bigLines.findIndex((l) => /\bnsecs\b/.test(l));
    const hoverAt = { line: hoverLine, character: bigLines[hoverLine].indexOf("nsecs") + 2 };
    const completeLine = bigLines.findIndex((l) => /^\s+@\w+\[/.test(l));
    const completeAt = { line: completeLine, character: bigLines[completeLine].indexOf("@") + 2 };
    const afterEdit = new Map(EDIT_KINDS.map((kind) => [kind, { completion: [] as number[], hover: [] as number[] }]));
    for (const kind of EDIT_KINDS) {
      for (let i = 0; i < EDITS_BIG; i++) {
        await big.edit(kind);
        afterEdit.get(kind)!.completion.push(await timed(() => session.connection.sendRequest("textDocument/completion", { textDocument: { uri: big.uri }, position: completeAt })));
        await big.edit(kind);
        afterEdit.get(kind)!.hover.push(await timed(() => session.connection.sendRequest("textDocument/hover", { textDocument: { uri: big.uri }, position: hoverAt })));
      }
    }
    // hover while big.bt's diagnostics are being computed (the lint runs in the worker thread)
    const duringLint: number[] = [];
    for (let i = 0; i < EDITS_BIG; i++) {
      await big.edit();
      const pending = big.diagnostics();
      duringLint.push(await timed(() => session.connection.sendRequest("textDocument/hover", { textDocument: { uri: big.uri }, position: hoverAt })));
      await pending;
    }
    rows.push(["hover while big.bt's edit is being linted p50 / p95", `${percentile(duringLint, 50).toFixed(0)} / ${percentile(duringLint, 95).toFixed(0)} ms`]);
    for (const kind of EDIT_KINDS) {
      const { completion, hover } = afterEdit.get(kind)!;
      rows.push([`completion right after a ${kind} edit, big.bt p50 / p95`, `${percentile(completion, 50).toFixed(1)} / ${percentile(completion, 95).toFixed(1)} ms`]);
      rows.push([`hover right after a ${kind} edit, big.bt p50 / p95`, `${percentile(hover, 50).toFixed(1)} / ${percentile(hover, 95).toFixed(1)} ms`]);
    }

    // formatting big.bt: server vs the bt-fmt command (median of 3 each)
    const serverFormat: number[] = [];
    const commandFormat: number[] = [];
    for (let i = 0; i < 3; i++) {
      serverFormat.push(
        await timed(() => session.connection.sendRequest("textDocument/formatting", { textDocument: { uri: big.uri }, options: { tabSize: 2, insertSpaces: true } })),
      );
      commandFormat.push(await timed(() => run(process.execPath, [btFmt, bigFile], { maxBuffer: 64 * 1024 * 1024 })));
    }
    const serverMedian = percentile(serverFormat, 50);
    const commandMedian = percentile(commandFormat, 50);
    rows.push(["format big.bt: server (median of 3)", `${serverMedian.toFixed(0)} ms`]);
    rows.push(["format big.bt: bt-fmt command (median of 3)", `${commandMedian.toFixed(0)} ms`]);
    rows.push(["server / bt-fmt", `${(serverMedian / commandMedian).toFixed(2)}×`]);
  } finally {
    await session.stop();
  }
}

async function memoryRows(): Promise<void> {
  // memory with a 5 MB file open
  const memory = await startServer();
  const dir = mkdtempSync(join(tmpdir(), "bt-lsp-bench-"));
  try {
    const before = await rssMiB(memory.pid);
    const bigText = readFileSync(bigFile, "utf8");
    const fiveMB = bigText.repeat(Math.ceil((5 * 1024 * 1024) / bigText.length));
    const file = join(dir, "five-mb.bt");
    writeFileSync(file, fiveMB);
    const doc = await OpenDocument.open(memory, file, fiveMB);
    const check = await timed(() => doc.diagnostics());
    const after = await rssMiB(memory.pid);
    rows.push([`RSS idle → with a ${(fiveMB.length / 1024 / 1024).toFixed(1)} MB file open and checked`, `${before.toFixed(0)} → ${after.toFixed(0)} MiB`]);
    rows.push(["first check of the 5 MB file", `${(check / 1000).toFixed(1)} s`]);
  } finally {
    await memory.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function corpusMemoryRow(): Promise<void> {
  const session = await startServer();
  try {
    const index = JSON.parse(readFileSync(join(corpus, "index.json"), "utf8")) as { entries: { file: string }[] };
    const before = await rssMiB(session.pid);
    let bytes = 0;
    for (const { file } of index.entries) {
      const doc = await OpenDocument.open(session, join(corpus, file));
      bytes += doc.text.length;
      await doc.diagnostics();
    }
    const after = await rssMiB(session.pid);
    rows.push([`RSS idle → with the whole corpus open and checked (${index.entries.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB)`, `${before.toFixed(0)} → ${after.toFixed(0)} MiB`]);
  } finally {
    await session.stop();
  }
}

async function machineRows(): Promise<void> {
  // completion of kernel functions from this machine
  const machine = await startServer();
  const machineDir = mkdtempSync(join(tmpdir(), "bt-lsp-bench-machine-"));
  try {
    const file = join(machineDir, "probe.bt");
    const doc = await OpenDocument.open(machine, file, "");
    let version = 1;
    /** Types `kprobe:PREFIX` as the whole document and asks for completion at its end. */
    const completeKprobe = async (prefix: string): Promise<{ ms: number; count: number }> => {
      const text = `kprobe:${prefix}`;
      await machine.connection.sendNotification("textDocument/didChange", { textDocument: { uri: doc.uri, version: ++version }, contentChanges: [{ text }] });
      let count = 0;
      const ms = await timed(async () => {
        const list = (await machine.connection.sendRequest("textDocument/completion", { textDocument: { uri: doc.uri }, position: { line: 0, character: text.length } })) as { items: unknown[] } | unknown[];
        count = Array.isArray(list) ? list.length : list.items.length;
      });
      return { ms, count };
    };
    const first = await completeKprobe("vfs_");
    const prefixes = ["", "v", "vfs_", "vfs_r", "do_", "tcp_", "s", "sys_", "x", "ext4_", "__", "k", "mm_", "zz"];
    const times: number[] = [];
    let answered = 0;
    for (let i = 0; i < 200; i++) {
      const { ms, count } = await completeKprobe(prefixes[i % prefixes.length]);
      times.push(ms);
      answered = Math.max(answered, count);
    }
    rows.push(["kprobe: completion from this machine, first request", `${first.ms.toFixed(0)} ms (${first.count} items for vfs_)`]);
    rows.push([
      `kprobe: completion after the first (200 requests, up to ${answered} items each) p50 / p95`,
      `${percentile(times, 50).toFixed(1)} / ${percentile(times, 95).toFixed(1)} ms`,
    ]);
  } finally {
    await machine.stop();
    rmSync(machineDir, { recursive: true, force: true });
  }
}

const width = Math.max(...rows.map(([k]) => k.length));
console.log("bt-lsp bench (stdio, pull diagnostics, target 0.27)");
for (const [key, value] of rows) console.log(`| ${key.padEnd(width)} | ${value} |`);
