/**
 * Parser benchmark (`npm run bench` in packages/parser → node dist/bench.js).
 *
 * On /work/shared/corpus/bench/big.bt and big10.bt (see that directory's
 * README) it measures, after warm-up, the median time of:
 *   - baseline: a plain sticky-regex tokenizer written here, over the same text;
 *   - lex:      our Chevrotain lexer alone (`lex` exported by lexer.ts; skipped if absent);
 *   - parse:    full parse + AST (`parse(text, { target })`).
 * and prints MB/s, the ratio to the baseline, time(10×)/time(1×), and the heap
 * retained by one parse result.
 *
 *   node dist/bench.js [--iterations N] [--warmup N] [--target V] [--dir DIR] [--json]
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import type { CstNode, IToken } from "chevrotain";
import { runInNewContext } from "node:vm";
import { parse } from "./index.ts";
import { BpftraceParser, btParser } from "./grammar.ts";
import { checkProgram } from "./checks.ts";
import * as lexerModule from "./lexer.ts";
import type { Release } from "./versions.ts";

/**
 * The baseline: one sticky regex with alternatives for layout, comments,
 * strings, numbers, names and punctuation — the cheapest tokenizer that still
 * looks at every character the way a real one must.
 */
const BASELINE_TOKEN =
  /[ \t\r\n]+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|0[xX][0-9a-fA-F_]+|[0-9][0-9_]*[a-zA-Z]*|[$@]?[A-Za-z_][A-Za-z0-9_]*|\$[0-9]+|\$#|@|<<=|>>=|->|\+\+|--|&&|\|\||[=!<>+\-*/%&|^]=|<<|>>|\.\.|[{}()[\];:,.?~!<>=+\-*/%&|^"'#\\$]|[^]/y;

export function baselineTokenize(text: string): number {
  const re = BASELINE_TOKEN;
  re.lastIndex = 0;
  let count = 0;
  while (re.lastIndex < text.length) {
    if (re.exec(text) === null) break;
    count++;
  }
  return count;
}

function findLex(): ((text: string) => unknown) | undefined {
  const f = (lexerModule as unknown as Record<string, unknown>)["lex"];
  return typeof f === "function" ? (f as (text: string) => unknown) : undefined;
}

/**
 * A parser whose tree-building hooks do nothing, as Chevrotain itself sets them up for a parser
 * without CST output: only recognition is left.
 */
let recogniser: BpftraceParser | undefined;

function recognise(lex: (text: string) => unknown, text: string): unknown {
  if (!recogniser) {
    recogniser = new BpftraceParser();
    const hooks = recogniser as unknown as Record<string, () => void>;
    for (const hook of ["cstInvocationStateUpdate", "cstFinallyStateUpdate", "cstPostTerminal", "cstPostNonTerminal", "cstPostRule"]) hooks[hook] = () => {};
    // invokeRuleWithTry still reads the top of the CST stack
    (recogniser as unknown as { CST_STACK: unknown[] }).CST_STACK.push({});
  }
  recogniser.input = (lex(text) as { tokens: IToken[] }).tokens;
  return recogniser.program();
}

function gcFunction(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return undefined;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function time(fn: () => unknown, warmup: number, iterations: number, gc?: () => void): { median: number; min: number; runs: number[] } {
  for (let i = 0; i < warmup; i++) fn();
  const runs: number[] = [];
  for (let i = 0; i < iterations; i++) {
    gc?.(); // start each run with a clean heap, outside the timed region
    const t0 = process.hrtime.bigint();
    fn();
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { median: median(runs), min: Math.min(...runs), runs };
}

interface Row {
  file: string;
  bytes: number;
  step: string;
  ms: number;
  /** The fastest run: steadier than the median on a busy machine, for comparing runs. */
  minMs: number;
  mbps: number;
  vsBaseline: number;
}

function pad(s: string, n: number, right = false) {
  return right ? s.padStart(n) : s.padEnd(n);
}

function table(headers: string[], rows: string[][], rightFrom = 1): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => pad(c, widths[i]!, i >= rightFrom)).join(" | ") + " |";
  const sep = "|" + widths.map((w, i) => (i >= rightFrom ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2))).join("|") + "|";
  return [line(headers), sep, ...rows.map(line)].join("\n");
}

/**
 * Steps timed one per child process: Chevrotain recognising the grammar without building a tree
 * (the floor of any Chevrotain parser of this grammar), then with the CST the AST is built from;
 * the release checks alone, on parse's AST; and allocating parse's AST alone, by copying it with
 * code generated for its object shapes (the floor of any builder of this AST; positions are not
 * shared in the copy, so it makes about 10 % more objects than parse does).
 */
const BREAKDOWN_STEPS = ["lex + Chevrotain recognition, no tree", "lex + CST", "release checks alone", "allocating the AST alone (a copy)"] as const;
type BreakdownStep = (typeof BREAKDOWN_STEPS)[number];

function breakdownInChild(step: BreakdownStep, dir: string, iterations: number, warmup: number, target: Release): number | undefined {
  const r = spawnSync(process.execPath, [process.argv[1]!, "--breakdown", step, "--dir", dir, "--iterations", String(iterations), "--warmup", String(warmup), "--target", target], {
    encoding: "utf8",
  });
  const ms = Number(r.stdout.trim());
  return r.status === 0 && Number.isFinite(ms) ? ms : undefined;
}

/** A function that copies `root` object by object, with one generated constructor per object shape seen in it. */
export function shapeCopier(root: unknown): (value: unknown) => unknown {
  const shapeOf = (o: Record<string, unknown>): string =>
    typeof o.type === "string" ? o.type : "offset" in o ? "position" : Object.keys(o).join();
  const keysByShape = new Map<string, Set<string>>();
  const survey = (value: unknown): void => {
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) return value.forEach(survey);
    const o = value as Record<string, unknown>;
    const shape = shapeOf(o);
    if (!keysByShape.has(shape)) keysByShape.set(shape, new Set());
    for (const key of Object.keys(o)) {
      keysByShape.get(shape)!.add(key);
      survey(o[key]);
    }
  };
  survey(root);
  type Make = (o: Record<string, unknown>, copy: (v: unknown) => unknown) => unknown;
  const makers = new Map<string, Make>();
  for (const [shape, keys] of keysByShape) {
    const fields = [...keys].map((k) => `${JSON.stringify(k)}: copy(o[${JSON.stringify(k)}])`).join(", ");
    makers.set(shape, new Function("o", "copy", `return { ${fields} };`) as Make);
  }
  const copy = (value: unknown): unknown => {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) {
      const out = new Array(value.length);
      for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
      return out;
    }
    const o = value as Record<string, unknown>;
    return makers.get(shapeOf(o))!(o, copy);
  };
  return copy;
}

function runBreakdownStep(step: BreakdownStep, text: string, warmup: number, iterations: number, target: Release): number {
  const lex = findLex()!;
  if (step === "release checks alone" || step === "allocating the AST alone (a copy)") {
    const ast = parse(text, { target }).ast;
    const copy = shapeCopier(ast);
    return time(step === "release checks alone" ? () => checkProgram(ast, target, text) : () => copy(ast), warmup, iterations).median;
  }
  const fn =
    step === "lex + CST"
      ? () => {
          // As parse() builds it: each top-level item's CST handed over, then dropped.
          const items: CstNode[] = [];
          btParser.input = (lex(text) as { tokens: IToken[] }).tokens;
          btParser.topLevelSink = (item) => {
            items[0] = item;
          };
          try {
            return btParser.program();
          } finally {
            btParser.topLevelSink = undefined;
          }
        }
      : () => recognise(lex, text);
  return time(fn, warmup, iterations).median;
}

/**
 * One parse in a fresh process, as bt-fmt makes it (syntax only, the first parse: lookahead
 * functions built and code compiled on the way), and the heap it leaves behind: its result and
 * anything the parser itself still holds once it returns (measured from before the parse).
 */
function firstParse(file: string, target: Release): { ms: number; retainedBytes: number } {
  const text = readFileSync(file, "utf8");
  const gc = gcFunction();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  const result = parse(text, { target, syntaxOnly: true });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  gc?.();
  const retainedBytes = process.memoryUsage().heapUsed - before;
  if (result.ast.body.length === 0) throw new Error(`nothing parsed in ${file}`);
  return { ms, retainedBytes };
}

function firstParseInChild(file: string, target: Release): { ms: number; retainedBytes: number } | undefined {
  const r = spawnSync(process.execPath, [process.argv[1]!, "--first-parse", file, "--target", target], { encoding: "utf8" });
  try {
    return r.status === 0 ? (JSON.parse(r.stdout) as { ms: number; retainedBytes: number }) : undefined;
  } catch {
    return undefined;
  }
}

export async function runBench(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const firstParseFile = arg("--first-parse");
  if (firstParseFile) {
    console.log(JSON.stringify(firstParse(firstParseFile, (arg("--target") ?? "0.27") as Release)));
    return;
  }
  const breakdown = arg("--breakdown") as BreakdownStep | undefined;
  if (breakdown) {
    const text = readFileSync(join(arg("--dir")!, "big.bt"), "utf8");
    const release = (arg("--target") ?? "0.27") as Release;
    console.log(runBreakdownStep(breakdown, text, Number(arg("--warmup") ?? 3), Number(arg("--iterations") ?? 10), release));
    return;
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const defaultDir = [resolve(here, "../../../../shared/corpus/bench"), "/work/shared/corpus/bench"].find((d) =>
    existsSync(join(d, "big.bt")),
  );
  const dir = arg("--dir") ?? defaultDir;
  const iterations = Number(arg("--iterations") ?? 15);
  const warmup = Number(arg("--warmup") ?? 8);
  const target = (arg("--target") ?? "0.27") as Release;
  const asJson = argv.includes("--json");
  if (!dir || !existsSync(join(dir, "big.bt"))) {
    console.error("bench: big.bt not found (pass --dir DIR; expected /work/shared/corpus/bench)");
    process.exitCode = 2;
    return;
  }
  const lex = findLex();
  const gc = gcFunction();
  const files = ["big.bt", "big10.bt"].filter((f) => existsSync(join(dir, f)));
  const rows: Row[] = [];
  const heap: { file: string; retainedMB: number; diagnostics: number; tokens: number }[] = [];

  for (const f of files) {
    const text = readFileSync(join(dir, f), "utf8");
    const bytes = Buffer.byteLength(text, "utf8");
    // Fewer iterations on the 10× file, which takes ten times as long.
    const its = f === "big.bt" ? iterations : Math.max(3, Math.ceil(iterations / 2));
    const w = f === "big.bt" ? warmup : 2;
    const steps: [string, () => unknown][] = [["baseline regex tokenizer", () => baselineTokenize(text)]];
    if (lex) steps.push(["bt lexer (lex)", () => lex(text)]);
    steps.push([`bt parse + AST (${target})`, () => parse(text, { target })]);
    let base = 0;
    for (const [step, fn] of steps) {
      // No forced collection between runs: a full GC shrinks V8's young generation and makes
      // every allocation-heavy run pay to grow it again, which is not how a parser is used.
      const t = time(fn, w, its);
      if (!base) base = t.median;
      rows.push({ file: f, bytes, step, ms: t.median, minMs: t.min, mbps: bytes / 1e6 / (t.median / 1000), vsBaseline: t.median / base });
    }
    // Heap retained by one parse result (AST + diagnostics + comments).
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const result = parse(text, { target });
    gc?.();
    const after = process.memoryUsage().heapUsed;
    heap.push({
      file: f,
      retainedMB: (after - before) / (1024 * 1024),
      diagnostics: result.diagnostics.filter((d) => d.severity === "error").length,
      tokens: baselineTokenize(text),
    });
  }

  const scaling: { step: string; ratio: number }[] = [];
  if (files.length === 2) {
    for (const r of rows.filter((x) => x.file === "big.bt")) {
      const r10 = rows.find((x) => x.file === "big10.bt" && x.step === r.step);
      if (r10) scaling.push({ step: r.step, ratio: r10.ms / r.ms });
    }
  }

  if (asJson) {
    console.log(JSON.stringify({ node: process.version, iterations, warmup, target, rows, scaling, heap, lexAvailable: !!lex }, null, 2));
    return;
  }
  console.log(`bt parser benchmark — node ${process.version}, median of ${iterations} (big.bt) / ${Math.max(3, Math.ceil(iterations / 2))} (big10.bt) runs after warm-up`);
  console.log(`inputs: ${dir}\n`);
  console.log(
    table(
      ["file", "step", "median ms", "min ms", "MB/s", "× baseline time"],
      rows.map((r) => [
        `${r.file} (${(r.bytes / 1024).toFixed(0)} KiB)`,
        r.step,
        r.ms.toFixed(2),
        r.minMs.toFixed(2),
        r.mbps.toFixed(1),
        r.vsBaseline.toFixed(1),
      ]),
      2,
    ),
  );
  if (!lex) console.log("\n(lexer.ts exports no `lex(text)` yet: lexing-alone line skipped)");
  if (heap.some((h) => h.diagnostics > 0)) {
    console.log("\nWARNING: the parser reports errors on these inputs (bpftrace 0.27 accepts them): parse figures include error recovery and are not representative.");
  }
  if (scaling.length) {
    console.log("\nlinearity: time(big10.bt) / time(big.bt) (10.0 = linear)\n");
    console.log(table(["step", "ratio"], scaling.map((s) => [s.step, s.ratio.toFixed(2)])));
  }
  console.log(`\nheap retained by one parse result${gc ? "" : " (no gc available: rough)"}\n`);
  console.log(
    table(
      ["file", "heap MB", "bytes heap / byte src", "error diagnostics", "baseline tokens"],
      heap.map((h) => {
        const bytes = rows.find((r) => r.file === h.file)!.bytes;
        return [h.file, h.retainedMB.toFixed(1), ((h.retainedMB * 1024 * 1024) / bytes).toFixed(0), String(h.diagnostics), String(h.tokens)];
      }),
    ),
  );
  if (lex) {
    console.log("\nwhere the time goes (big.bt; each step in a fresh process, so that one parser's set-up does not slow another's)\n");
    const text = readFileSync(join(dir, "big.bt"), "utf8");
    const bytes = Buffer.byteLength(text, "utf8");
    const full = rows.find((r) => r.file === "big.bt" && r.step.startsWith("bt parse"))!;
    const parts = BREAKDOWN_STEPS.map((step) => ({ step, ms: breakdownInChild(step, dir, iterations, warmup, target) }));
    console.log(
      table(
        ["step", "median ms", "MB/s", "share of parse + AST"],
        [...parts, { step: full.step, ms: full.ms }].map((p) =>
          p.ms === undefined
            ? [p.step, "failed", "", ""]
            : [p.step, p.ms.toFixed(2), (bytes / 1e6 / (p.ms / 1000)).toFixed(1), `${((100 * p.ms) / full.ms).toFixed(0)} %`],
        ),
      ),
    );
  }
  console.log("\nthe first parse in a fresh process (syntax only, as bt-fmt parses), and the heap it leaves behind (its result and whatever the parser keeps)\n");
  console.log(
    table(
      ["file", "first parse ms", "MB/s", "heap left MB", "bytes heap / byte src"],
      files.map((f) => {
        const bytes = rows.find((r) => r.file === f)!.bytes;
        const first = firstParseInChild(join(dir, f), target);
        if (!first) return [f, "failed", "", "", ""];
        return [f, first.ms.toFixed(1), (bytes / 1e6 / (first.ms / 1000)).toFixed(1), (first.retainedBytes / 1048576).toFixed(1), (first.retainedBytes / bytes).toFixed(1)];
      }),
    ),
  );
  const heapTotal = process.memoryUsage();
  console.log(`\nprocess: heapUsed ${(heapTotal.heapUsed / 1048576).toFixed(0)} MB, rss ${(heapTotal.rss / 1048576).toFixed(0)} MB`);
}
