/**
 * Conformance of bt-lint with bpftrace 0.27's semantic verdicts (see semantic-conformance.ts):
 * accept/reject, the line of the first error, and how many of bpftrace's warnings bt reports.
 * Every disagreement is listed with its reason in fixtures/semantic-conformance/disagreements.json;
 * the test fails on an unlisted disagreement, on a listed one that went away, and on a change of
 * the warning coverage, so each change of agreement is made deliberately.
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

interface DisagreementList {
  /** Programs bt-lint and bpftrace give different verdicts, with the reason. */
  verdict: Record<string, string>;
  /** Programs both reject, where bt's first error is on another line than bpftrace's. */
  firstErrorLine: Record<string, string>;
  /** bpftrace warnings that bt reports a warning or info finding on the same line for. */
  warnings: { matched: number; total: number };
  /** Programs bpftrace accepts where a bt rule that mirrors a bpftrace warning speaks on a line bpftrace is silent on, with the reason. */
  extraWarnings: Record<string, string>;
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
      warnings: { matched: c.warningsMatched, total: c.warningsTotal },
      extraWarnings: Object.fromEntries(
        c.results
          .filter((r) => r.extraWarnings.length > 0)
          .map((r) => [r.key, listed.extraWarnings?.[r.key] ?? `TODO: bt warns (${r.extraWarnings.join(", ")}) where bpftrace does not`]),
      ),
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

  it("reports the recorded number of bpftrace's warnings", () => {
    expect({ matched: conformance.warningsMatched, total: conformance.warningsTotal }).toEqual(listed.warnings);
  });

  it("warns only where bpftrace warns, except for the listed programs", () => {
    const current = conformance.results.filter((r) => r.extraWarnings.length > 0);
    expect(current.filter((r) => !(r.key in listed.extraWarnings)).map((r) => `${r.key}: ${r.extraWarnings.join(", ")}`)).toEqual([]);
    const keys = new Set(current.map((r) => r.key));
    expect(Object.keys(listed.extraWarnings).filter((k) => !keys.has(k))).toEqual([]);
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
    for (const reason of [...Object.values(listed.verdict), ...Object.values(listed.firstErrorLine), ...Object.values(listed.extraWarnings)]) {
      expect(reason.length).toBeGreaterThan(20);
      expect(reason.startsWith("TODO")).toBe(false);
    }
  });
});
