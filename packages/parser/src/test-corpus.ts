/**
 * Shared loader for the bpftrace test corpus copied into `fixtures/corpus/`
 * (see fixtures/corpus/ORIGIN.md; re-copy with packages/parser/scripts/sync-fixtures.mjs).
 * Used by the conformance, live-conformance and fuzz tests and by reports.
 * Test-only: nothing in the published parser imports this file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "./index.ts";
import type { Diagnostic } from "./ast.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** Repository root (/work/main). */
export const REPO_ROOT = resolve(here, "../../..");
/** Our copy of the corpus. */
export const CORPUS_DIR = join(REPO_ROOT, "fixtures/corpus");
/** The shared, read-only original (may be absent outside this machine). */
export const SHARED_CORPUS_DIR = resolve(REPO_ROOT, "../shared/corpus");
export const CONFORMANCE_DIR = join(REPO_ROOT, "fixtures/conformance");
export const DISAGREEMENTS_FILE = join(CONFORMANCE_DIR, "disagreements.json");

/** The releases verdicts.json was recorded with. */
export const ORACLE_TARGETS = ["0.17", "0.23", "0.27"] as const;
export type OracleTarget = (typeof ORACLE_TARGETS)[number];

export type VerdictKind = "ok" | "error" | "other" | "env";
/** `[kind, first message]` as recorded by /work/shared/oracle/verdict. */
export type Verdict = [VerdictKind, string];

export interface CorpusCase {
  name: string;
  program: string;
  expect: "ok" | "error";
  error?: string;
  error_substring?: string;
  error_stage?: string;
  context?: { positional_params?: string[]; unsafe?: boolean; pid?: number };
  [k: string]: unknown;
}

export interface CorpusProgram {
  /** verdicts.json key: a corpus path (`tools-HEAD/opensnoop.bt`) or `parser_cases.json#<name>`. */
  key: string;
  text: string;
  /** Path of the file for corpus files; undefined for cases. */
  file?: string;
  /** The case record for `…_cases.json#…` keys. */
  case?: CorpusCase;
  verdicts: Partial<Record<OracleTarget, Verdict>>;
}

const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, "utf8")) as T;

let cached: CorpusProgram[] | undefined;

/** Every program of verdicts.json with its text, in key order. */
export function loadCorpus(): CorpusProgram[] {
  if (cached) return cached;
  const verdicts = readJson<{ programs: Record<string, Partial<Record<OracleTarget, Verdict>>> }>(
    join(CORPUS_DIR, "verdicts.json"),
  ).programs;
  const cases = new Map<string, CorpusCase>();
  for (const file of ["parser_cases.json", "attachpoint_cases.json"]) {
    for (const c of readJson<CorpusCase[]>(join(CORPUS_DIR, file))) cases.set(`${file}#${c.name}`, c);
  }
  const out: CorpusProgram[] = [];
  for (const key of Object.keys(verdicts).sort()) {
    const c = cases.get(key);
    if (c) {
      out.push({ key, text: c.program, case: c, verdicts: verdicts[key]! });
      continue;
    }
    const file = join(CORPUS_DIR, key);
    if (key.includes("#") || !existsSync(file)) {
      throw new Error(`verdicts.json key ${key} has no program in ${CORPUS_DIR} (run scripts/sync-fixtures.mjs)`);
    }
    out.push({ key, text: readFileSync(file, "utf8"), file, verdicts: verdicts[key]! });
  }
  cached = out;
  return out;
}

/** All `.bt` files below a directory (recursive), sorted, as absolute paths. */
export function listBtFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith(".bt")) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Corpus-relative key of a file in CORPUS_DIR (forward slashes). */
export function corpusKey(file: string): string {
  return relative(CORPUS_DIR, file).split(sep).join("/");
}

/**
 * A deterministic sample of `n` items (spread evenly over the list) — stable
 * between runs so failures reproduce.
 */
export function evenSample<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  const out: T[] = [];
  const step = items.length / n;
  for (let i = 0; i < n; i++) out.push(items[Math.floor(i * step)]!);
  return out;
}

export type DisagreementList = Partial<Record<OracleTarget, Record<string, string>>>;

export function loadDisagreements(): DisagreementList {
  return existsSync(DISAGREEMENTS_FILE) ? readJson<DisagreementList>(DISAGREEMENTS_FILE) : {};
}

// ---------------------------------------------------------------------------
// Conformance: our verdict vs bpftrace's


export interface Comparison {
  key: string;
  target: OracleTarget;
  oracle: "ok" | "error";
  oracleMessage: string;
  ours: "ok" | "error" | "crash";
  /** Our first error diagnostic (or the exception for a crash). */
  ourMessage?: string;
  ourLocation?: string;
}

export interface TargetConformance {
  target: OracleTarget;
  compared: number;
  agree: number;
  /** `other`/`env` verdicts (no language verdict) are skipped. */
  skipped: number;
  disagreements: Comparison[];
}

export function firstError(diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  let best: Diagnostic | undefined;
  for (const d of diagnostics) {
    if (d.severity !== "error") continue;
    if (!best || d.range.start.offset < best.range.start.offset) best = d;
  }
  return best;
}

/**
 * Our parse-level verdict. The oracle ran `bpftrace -d FILE` with no
 * positional parameters, even for parser_cases that carry
 * `context.positional_params` (upstream's test passed them to the C++ driver);
 * at parse level `$N` in an attach point or expression is valid text either
 * way, so we parse the program as is and compare with what bpftrace printed.
 */
export function ourVerdict(text: string, target: OracleTarget): Pick<Comparison, "ours" | "ourMessage" | "ourLocation"> {
  try {
    const { diagnostics } = parse(text, { target });
    const err = firstError(diagnostics);
    if (err?.message.startsWith("internal parser error")) return { ours: "crash", ourMessage: err.message };
    if (!err) return { ours: "ok" };
    return { ours: "error", ourMessage: err.message, ourLocation: `${err.range.start.line}:${err.range.start.column}` };
  } catch (e) {
    return { ours: "crash", ourMessage: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

export function compareWithOracle(corpus: readonly CorpusProgram[] = loadCorpus()): Record<OracleTarget, TargetConformance> {
  const out = {} as Record<OracleTarget, TargetConformance>;
  for (const target of ORACLE_TARGETS) {
    const tc: TargetConformance = { target, compared: 0, agree: 0, skipped: 0, disagreements: [] };
    for (const p of corpus) {
      const v = p.verdicts[target];
      if (!v || (v[0] !== "ok" && v[0] !== "error")) {
        tc.skipped++;
        continue;
      }
      tc.compared++;
      const ours = ourVerdict(p.text, target);
      if (ours.ours === v[0]) tc.agree++;
      else tc.disagreements.push({ key: p.key, target, oracle: v[0], oracleMessage: v[1], ...ours });
    }
    out[target] = tc;
  }
  return out;
}
