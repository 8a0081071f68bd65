/**
 * Compares bt-lint with bpftrace 0.27's semantic verdicts (`/work/shared/corpus/semantic/`):
 * bpftrace's own semantic unit-test programs (`verdicts.tsv`) and the corpus (`corpus-verdicts.tsv`).
 * Only `ok`/`error` rows compare (`env` and `crash` are not verdicts on the language).
 * bt's verdict: `error` when bt-lint reports a finding of severity error, else `ok`.
 */
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TypeSource } from "@bt/semantic";
import { createMachine } from "@bt/system";
import { lintText } from "./lint.ts";
import { machineTypeSource } from "./machine-type-source.ts";
import { mirrorsBpftraceWarning } from "./rules/util.ts";
import type { Finding } from "./types.ts";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const SEMANTIC_CORPUS = resolve(process.env.BT_SEMANTIC_CORPUS ?? resolve(REPO_ROOT, "../shared/corpus/semantic"));
export const DISAGREEMENTS_FILE = join(REPO_ROOT, "fixtures/semantic-conformance/disagreements.json");
/** The release whose verdicts the corpus records. */
export const ORACLE_RELEASE = "0.27";

/**
 * Programs whose verdict rests on the kernel's BTF, which bpftrace read when the verdicts were
 * measured: bt-lint can only agree when it reads the same (this machine's) BTF, so they are
 * compared with it and left out where there is none. Each with what BTF decides.
 */
export const NEEDS_KERNEL_BTF: Record<string, string> = {
  "cases/type_checker__TypeCheckerTest_ternary_expressions__12":
    "`nonsense` is refused because no kernel enum has a value of that name (a kernel enumerator such as `BPF_MAP_TYPE_HASH` in its place is accepted).",
  "cases/type_checker__TypeCheckerTest_cast_unknown_type__1": "`struct faketype` is refused because the kernel's BTF has no such struct either.",
  "cases/type_checker__TypeCheckerTest_call_offsetof__17": "`offsetof(__passident__, x)` is refused because `__passident__` names no kernel type nor enum value.",
  "cases/type_checker__TypeCheckerTest_call_offsetof__18": "`offsetof(__passident__, x.y.z)` is refused because `__passident__` names no kernel type nor enum value.",
  "cases/type_checker__TypeCheckerBTFTest_call_socket_cookie__3": "`args.how` of `fentry:tcp_shutdown` is the `int how` of BTF's tcp_shutdown(), which socket_cookie() refuses.",
};

export const KERNEL_BTF = "/sys/kernel/btf/vmlinux";

/** This machine's kernel types (BTF) as a type source, or undefined when its BTF cannot be read. */
export function kernelTypeSource(): TypeSource | undefined {
  try {
    accessSync(KERNEL_BTF, constants.R_OK);
  } catch {
    return undefined;
  }
  const machine = createMachine();
  return machine.hasKernelTypes() ? machineTypeSource(machine) : undefined;
}

export type Verdict = "ok" | "error";

export interface SemanticCase {
  /** `cases/<name>.bt` for unit-test programs, the corpus path for corpus programs. */
  key: string;
  text: string;
  verdict: Verdict;
  /** bpftrace's first error: line (0 = no place) and message. */
  errorLine?: number;
  errorMessage?: string;
  warnings: { line: number; column: number; message: string }[];
  /** The run's positional parameters (the words after `--` in its flags). */
  positionalParameters: string[];
  /** Whether the run had `--unsafe`. */
  unsafe: boolean;
}

export interface CaseResult {
  key: string;
  oracle: Verdict;
  ours: Verdict;
  oracleMessage?: string;
  oracleLine?: number;
  /** bt's first error finding. */
  ourFirstError?: Finding;
  /** bpftrace warnings (by line) that bt reports a warning or info finding on. */
  warningsMatched: number;
  warningsTotal: number;
  /** bpftrace's warnings that bt does not report, each as `line:column message` (see warningKey). */
  missedWarnings: string[];
  /** In programs bpftrace accepts: warnings of bt's rules that mirror a bpftrace warning, on lines bpftrace does not warn on. */
  extraWarnings: string[];
}

export interface Conformance {
  results: CaseResult[];
  /** Programs of NEEDS_KERNEL_BTF left out for want of the kernel's BTF. */
  skipped: string[];
  compared: number;
  agree: number;
  /** Both reject, and bt's first error is on bpftrace's line. */
  bothReject: number;
  firstLineAgree: number;
  warningsTotal: number;
  warningsMatched: number;
  /** Every case's extra warnings (see CaseResult.extraWarnings). */
  extraWarnings: number;
}

/** How a bpftrace warning is named in the list of missed warnings: `line:column message` (unique in a program: the oracle drops exact duplicate warnings). */
export const warningKey = (w: { line: number; column: number; message: string }): string => `${w.line}:${w.column} ${w.message}`;

/** Findings that report what bpftrace itself warns about (language data: warnings.json; and unstable-feature): where they speak, bpftrace should too. */
export const mirrorsWarning = (f: Finding): boolean => f.ruleId === "unstable-feature" || mirrorsBpftraceWarning(f.ruleId, f.messageId);

export const corpusPresent = () => existsSync(join(SEMANTIC_CORPUS, "verdicts.tsv"));

function parseTsv(file: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0);
  const cols = head.split("\t");
  return rows.map((r) => {
    const cells = r.split("\t");
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ""]));
  });
}

function place(s: string): { line: number; column: number; rest: string } {
  const m = /^(\d+):(\d+)\s?(.*)$/s.exec(s);
  return m ? { line: Number(m[1]), column: Number(m[2]), rest: m[3] } : { line: 0, column: 0, rest: s };
}

export function loadSemanticCorpus(): SemanticCase[] {
  const out: SemanticCase[] = [];
  const sources: [string, string, (row: Record<string, string>) => string][] = [
    ["verdicts.tsv", "name", (r) => join(SEMANTIC_CORPUS, "cases", `${r.name}.bt`)],
    ["corpus-verdicts.tsv", "path", (r) => join(SEMANTIC_CORPUS, "..", r.path)],
  ];
  for (const [file, keyCol, pathOf] of sources) {
    for (const row of parseTsv(join(SEMANTIC_CORPUS, file))) {
      const verdict = row["verdict_0.27"];
      if (verdict !== "ok" && verdict !== "error") continue;
      const first = verdict === "error" ? place(row.first_error) : undefined;
      const warnings = (JSON.parse(row.warnings || "[]") as [string, string][]).map(([at, message]) => ({ ...place(at), message }));
      out.push({
        key: keyCol === "name" ? `cases/${row.name}` : row.path,
        text: readFileSync(pathOf(row), "utf8"),
        verdict,
        errorLine: first?.line,
        errorMessage: first?.rest,
        warnings,
        positionalParameters: positionalParametersOf(row.flags ?? ""),
        unsafe: (row.flags ?? "").split(/\s+/).includes("--unsafe"),
      });
    }
  }
  return out;
}

/** `--mock -- 123 hello` → ["123", "hello"]. */
function positionalParametersOf(flags: string): string[] {
  const words = flags.split(/\s+/).filter((w) => w.length > 0);
  const dashes = words.indexOf("--");
  return dashes < 0 ? [] : words.slice(dashes + 1);
}

/**
 * bt-lint's verdicts on `cases`. The programs of NEEDS_KERNEL_BTF are typed with `kernelTypes`,
 * and left out (listed in `skipped`) without it; with `typeEveryProgram`, all programs are.
 */
export function compareSemantic(cases: SemanticCase[] = loadSemanticCorpus(), kernelTypes: TypeSource | undefined = undefined, typeEveryProgram = false): Conformance {
  const results: CaseResult[] = [];
  const skipped: string[] = [];
  let agree = 0, bothReject = 0, firstLineAgree = 0, warningsTotal = 0, warningsMatched = 0, extraWarnings = 0;
  for (const c of cases) {
    const needsBtf = c.key in NEEDS_KERNEL_BTF;
    if (needsBtf && !kernelTypes) {
      skipped.push(c.key);
      continue;
    }
    const { findings } = lintText(c.text, {
      target: ORACLE_RELEASE,
      readFileSystem: false,
      positionalParameters: c.positionalParameters,
      unsafe: c.unsafe,
      ...(needsBtf || typeEveryProgram ? { typeSource: kernelTypes } : {}),
    });
    const firstError = findings.find((f) => f.severity === "error");
    const ours: Verdict = firstError ? "error" : "ok";
    const notes = findings.filter((f) => f.severity !== "error").map((f) => f.range.start.line);
    const lines = new Set(notes);
    // A warning without a place (0:0, e.g. "Script is using an unstable feature") matches a bt
    // warning left over once each line's bpftrace warnings have theirs (one bt note per warning).
    const warnedLines = new Set(c.warnings.map((w) => w.line));
    const perLine = (ls: number[]) => ls.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<number, number>());
    const warningsPerLine = perLine(c.warnings.map((w) => w.line));
    const spare = [...perLine(notes)].reduce((n, [l, k]) => n + Math.max(0, k - (warningsPerLine.get(l) ?? 0)), 0);
    const placelessWarnings = c.warnings.filter((w) => w.line === 0);
    const placeless = placelessWarnings.length;
    // The placeless warnings left without a spare bt note are the last ones.
    const missed = [
      ...c.warnings.filter((w) => w.line !== 0 && !lines.has(w.line)),
      ...placelessWarnings.slice(Math.min(placeless, spare)),
    ];
    const matched = c.warnings.length - missed.length;
    const extra =
      c.verdict === "ok"
        ? findings
            .filter((f) => f.severity !== "error" && mirrorsWarning(f) && !warnedLines.has(f.range.start.line) && !(placeless > 0 && f.ruleId === "unstable-feature"))
            .map((f) => `${f.range.start.line}:${f.range.start.column} ${f.ruleId}`)
        : [];
    extraWarnings += extra.length;
    warningsTotal += c.warnings.length;
    warningsMatched += matched;
    if (ours === c.verdict) agree++;
    if (ours === "error" && c.verdict === "error") {
      bothReject++;
      if (firstError!.range.start.line === c.errorLine) firstLineAgree++;
    }
    results.push({
      key: c.key,
      oracle: c.verdict,
      ours,
      oracleMessage: c.errorMessage,
      oracleLine: c.errorLine,
      ourFirstError: firstError,
      warningsMatched: matched,
      warningsTotal: c.warnings.length,
      missedWarnings: missed.map(warningKey),
      extraWarnings: extra,
    });
  }
  return { results, skipped, compared: results.length, agree, bothReject, firstLineAgree, warningsTotal, warningsMatched, extraWarnings };
}
