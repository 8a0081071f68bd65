/**
 * Conformance of bt-lint with bpftrace 0.27's semantic verdicts (see semantic-conformance.ts):
 * accept/reject, the line of the first error, and which of bpftrace's warnings bt reports.
 * Every disagreement — verdict, first error's line, each bpftrace warning bt misses and each
 * warning bt gives where bpftrace is silent — is listed with its reason in
 * fixtures/semantic-conformance/disagreements.json; the test fails on an unlisted disagreement and
 * on a listed one that went away, so each change of agreement is made deliberately.
 *
 * The programs whose verdict rests on the kernel's BTF (NEEDS_KERNEL_BTF in semantic-conformance.ts,
 * each with its reason) are typed with this machine's BTF when /sys/kernel/btf/vmlinux is
 * readable, and skipped (with a warning naming them) when it is not.
 *
 *   BT_SEMANTIC_CONFORMANCE_UPDATE=1  rewrite the list to the current state, keeping the reasons
 *                                     of entries still present
 */
import { readFileSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DISAGREEMENTS_FILE,
  KERNEL_BTF,
  NEEDS_KERNEL_BTF,
  compareSemantic,
  corpusPresent,
  kernelTypeSource,
  loadSemanticCorpus,
  type CaseResult,
  type Conformance,
} from "./semantic-conformance.ts";

/** Per program (its key), per warning (`line:column message` or `line:column rule`), the reason. */
type PerWarning = Record<string, Record<string, string>>;

interface DisagreementList {
  /** Programs bt-lint and bpftrace give different verdicts, with the reason. */
  verdict: Record<string, string>;
  /** Programs both reject, where bt's first error is on another line than bpftrace's. */
  firstErrorLine: Record<string, string>;
  /** bpftrace's warnings that bt reports no warning or info finding on the same line for (CaseResult.missedWarnings), with the reason. */
  missedWarnings: PerWarning;
  /** In programs bpftrace accepts: findings of bt rules that mirror a bpftrace warning on a line bpftrace is silent on (CaseResult.extraWarnings), with the reason. */
  extraWarnings: PerWarning;
}

const UPDATE = process.env.BT_SEMANTIC_CONFORMANCE_UPDATE === "1";
const clip = (s: string | undefined, n = 140) => (s ?? "").replace(/\s+/g, " ").slice(0, n);
const ourLine = (r: CaseResult) => r.ourFirstError?.range.start.line;
const describeOne = (r: CaseResult) =>
  `${r.key}: bpftrace ${r.oracle}${r.oracleMessage ? ` (${r.oracleLine}: ${clip(r.oracleMessage)})` : ""}, bt ${r.ours}${
    r.ourFirstError ? ` (${ourLine(r)}: ${r.ourFirstError.ruleId}: ${clip(r.ourFirstError.message)})` : ""
  }`;

const verdictDisagreements = (c: Conformance) => c.results.filter((r) => r.ours !== r.oracle);
const lineDisagreements = (c: Conformance) =>
  c.results.filter((r) => r.ours === "error" && r.oracle === "error" && ourLine(r) !== r.oracleLine);

/** Each warning as `program: warning`, from the conformance run or from the list. */
const warningsOf = (c: Conformance, pick: (r: CaseResult) => string[]) => c.results.flatMap((r) => pick(r).map((w) => `${r.key}: ${w}`));
const listedWarnings = (list: PerWarning) => Object.entries(list).flatMap(([key, ws]) => Object.keys(ws).map((w) => `${key}: ${w}`));
/** The warnings of the run missing from the list, and the listed ones the run no longer has. */
function compareWarnings(c: Conformance, pick: (r: CaseResult) => string[], list: PerWarning) {
  const current = warningsOf(c, pick);
  const listedNow = listedWarnings(list);
  return { unlisted: current.filter((w) => !listedNow.includes(w)), gone: listedNow.filter((w) => !current.includes(w)) };
}
/** The list rebuilt from the run, keeping the reasons of warnings still there. */
function relist(c: Conformance, pick: (r: CaseResult) => string[], old: PerWarning, todo: (w: string) => string): PerWarning {
  return Object.fromEntries(
    c.results
      .filter((r) => pick(r).length > 0)
      .map((r) => [r.key, Object.fromEntries(pick(r).map((w) => [w, old[r.key]?.[w] ?? todo(w)]))]),
  );
}
const missed = (r: CaseResult) => r.missedWarnings;
const extra = (r: CaseResult) => r.extraWarnings;

let conformance: Conformance;
let listed: DisagreementList;
const kernelTypes = kernelTypeSource();

beforeAll(() => {
  conformance = compareSemantic(undefined, kernelTypes);
  if (conformance.skipped.length > 0)
    console.warn(`SKIPPED ${conformance.skipped.length} programs that need the kernel's BTF (${KERNEL_BTF} is not readable): ${conformance.skipped.join(", ")}`);
  listed = JSON.parse(readFileSync(DISAGREEMENTS_FILE, "utf8")) as DisagreementList;
  const c = conformance;
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(b, 1)).toFixed(1)}%`;
  const rejected = c.results.filter((r) => r.oracle === "error").length;
  const caught = c.results.filter((r) => r.oracle === "error" && r.ours === "error").length;
  const falseErrors = c.results.filter((r) => r.oracle === "ok" && r.ours === "error").length;
  console.log(
    [
      "semantic conformance with bpftrace 0.27",
      `  compared ${c.compared}, agree ${c.agree} (${pct(c.agree, c.compared)})`,
      `  bpftrace rejects ${rejected}, bt rejects ${caught} of them (${pct(caught, rejected)}); bt rejects ${falseErrors} that bpftrace accepts`,
      `  first error on bpftrace's line: ${c.firstLineAgree} of ${c.bothReject}`,
      `  warnings reported: ${c.warningsMatched} of ${c.warningsTotal} (${pct(c.warningsMatched, c.warningsTotal)}); bt warns where bpftrace does not: ${c.extraWarnings}`,
    ].join("\n"),
  );
  if (UPDATE) {
    const reasonFor = (r: CaseResult, old: string | undefined) =>
      old ??
      (r.oracle === "error"
        ? `TODO: bpftrace says "${clip(r.oracleMessage)}"; give the reason bt-lint accepts it`
        : `TODO: FALSE ERROR, bt says "${clip(r.ourFirstError?.message)}"`);
    const next: DisagreementList = {
      verdict: Object.fromEntries(verdictDisagreements(c).map((r) => [r.key, reasonFor(r, listed.verdict[r.key])])),
      firstErrorLine: Object.fromEntries(
        lineDisagreements(c).map((r) => [
          r.key,
          listed.firstErrorLine[r.key] ??
            `TODO: bt's first error (line ${ourLine(r)}: ${clip(r.ourFirstError?.message, 80)}) is not bpftrace's first (line ${r.oracleLine}: ${clip(r.oracleMessage, 80)})`,
        ]),
      ),
      missedWarnings: relist(c, missed, listed.missedWarnings ?? {}, () => "TODO: give the reason bt does not report this warning"),
      extraWarnings: relist(c, extra, listed.extraWarnings ?? {}, () => "TODO: give the reason bt warns where bpftrace does not"),
    };
    writeFileSync(DISAGREEMENTS_FILE, JSON.stringify(next, null, 2) + "\n");
    listed = next;
  }
}, 600_000);

describe.skipIf(!corpusPresent())("semantic conformance with bpftrace 0.27 (shared/corpus/semantic)", () => {
  it("compares the corpus", () => {
    expect(conformance.compared).toBeGreaterThan(1500);
  });

  it("accepts and rejects like bpftrace, except for the listed programs", () => {
    const unlisted = verdictDisagreements(conformance).filter((r) => !(r.key in listed.verdict));
    expect(unlisted.map(describeOne)).toEqual([]);
  });

  it("lists only verdict disagreements that still disagree", () => {
    const current = new Set(verdictDisagreements(conformance).map((r) => r.key));
    expect(Object.keys(listed.verdict).filter((k) => !current.has(k))).toEqual([]);
  });

  it("puts the first error on bpftrace's line, except for the listed programs", () => {
    const unlisted = lineDisagreements(conformance).filter((r) => !(r.key in listed.firstErrorLine));
    expect(unlisted.map(describeOne)).toEqual([]);
    const current = new Set(lineDisagreements(conformance).map((r) => r.key));
    expect(Object.keys(listed.firstErrorLine).filter((k) => !current.has(k))).toEqual([]);
  });

  it("reports every bpftrace warning, except for the listed ones", () => {
    expect(compareWarnings(conformance, missed, listed.missedWarnings).unlisted).toEqual([]);
  });

  it("lists only missed warnings that are still missed", () => {
    expect(compareWarnings(conformance, missed, listed.missedWarnings).gone).toEqual([]);
  });

  it("warns only where bpftrace warns, except for the listed warnings", () => {
    const { unlisted, gone } = compareWarnings(conformance, extra, listed.extraWarnings);
    expect(unlisted).toEqual([]);
    expect(gone).toEqual([]);
  });

  it.skipIf(!kernelTypes)("agrees on the programs that need the kernel's BTF, typed with this machine's", () => {
    const byKey = new Map(conformance.results.map((r) => [r.key, r]));
    const needing = Object.keys(NEEDS_KERNEL_BTF).filter((k) => byKey.has(k));
    expect(needing.length).toBe(Object.keys(NEEDS_KERNEL_BTF).length);
    expect(needing.map((k) => byKey.get(k)!).filter((r) => r.ours !== r.oracle).map(describeOne)).toEqual([]);
  });

  it.skipIf(!kernelTypes)("typed with this machine's BTF, every program still gets bpftrace's verdict (no false error from kernel types)", () => {
    const typed = compareSemantic(undefined, kernelTypes, true);
    console.log(`  with this machine's BTF for every program: agree ${typed.agree} of ${typed.compared}`);
    expect(typed.results.filter((r) => r.oracle === "ok" && r.ours === "error").map(describeOne)).toEqual([]);
    expect(verdictDisagreements(typed).map(describeOne)).toEqual([]);
  });

  it("leaves out the programs that need the kernel's BTF when there is none, naming them", () => {
    const needing = loadSemanticCorpus().filter((c) => c.key in NEEDS_KERNEL_BTF);
    const without = compareSemantic(needing, undefined);
    expect([without.compared, [...without.skipped].sort()]).toEqual([0, Object.keys(NEEDS_KERNEL_BTF).sort()]);
  });

  it("never rejects a program bpftrace accepts", () => {
    expect(conformance.results.filter((r) => r.oracle === "ok" && r.ours === "error").map(describeOne)).toEqual([]);
  });

  it("gives every listed disagreement a reason (not an update's TODO placeholder)", () => {
    const perWarning = (list: PerWarning) => Object.values(list).flatMap((ws) => Object.values(ws));
    for (const reason of [
      ...Object.values(listed.verdict),
      ...Object.values(listed.firstErrorLine),
      ...perWarning(listed.missedWarnings),
      ...perWarning(listed.extraWarnings),
    ]) {
      expect(reason.length).toBeGreaterThan(20);
      expect(reason.startsWith("TODO")).toBe(false);
    }
  });
});
