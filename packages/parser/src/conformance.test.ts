/**
 * Conformance with real bpftrace: for every program of fixtures/corpus/verdicts.json
 * (corpus files and parser/attach-point test cases) and each recorded release,
 * our verdict (no error diagnostic = ok) must equal bpftrace's parse-level
 * verdict, except for the disagreements listed in
 * fixtures/conformance/disagreements.json — and every listed entry must still
 * disagree, so the list stays exact.
 *
 * Environment:
 *   BT_CONFORMANCE_REPORT=1|PATH  write a Markdown + JSON report of the current
 *                                 disagreements (default tmp/conformance-report.{md,json})
 *   BT_CONFORMANCE_UPDATE=1       rewrite disagreements.json to the current set,
 *                                 keeping the reasons of entries still present
 * (`node packages/parser/scripts/conformance-report.mjs [--update]` sets these.)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DISAGREEMENTS_FILE,
  ORACLE_TARGETS,
  REPO_ROOT,
  compareWithOracle,
  loadCorpus,
  loadDisagreements,
  type Comparison,
  type DisagreementList,
  type OracleTarget,
  type TargetConformance,
} from "./test-corpus.ts";

const UPDATE = process.env.BT_CONFORMANCE_UPDATE === "1";
const REPORT = process.env.BT_CONFORMANCE_REPORT;

let results: Record<OracleTarget, TargetConformance>;
const listed: DisagreementList = loadDisagreements();

const clip = (s: string | undefined, n = 160) => (s ?? "").replace(/\s+/g, " ").slice(0, n);
const describeOne = (c: Comparison) =>
  `${c.key}: bpftrace ${c.oracle}${c.oracleMessage ? ` (${clip(c.oracleMessage)})` : ""}, bt ${c.ours}${
    c.ourMessage ? ` (${c.ourLocation ?? "?"}: ${clip(c.ourMessage)})` : ""
  }`;

function category(c: Comparison): string {
  if (c.ours === "crash") return "bt crashed";
  if (c.oracle === "error") {
    // Normalise bpftrace's message to a category: drop quoted names, numbers, locations.
    const m = c.oracleMessage
      .replace(/^(ERROR|FATAL):\s*/, "")
      .replace(/'[^']*'|"[^"]*"/g, "'…'")
      .replace(/\b\d+\b/g, "N")
      .replace(/unexpected [^,]+,/, "unexpected X,");
    return `bt accepts; bpftrace: ${clip(m, 90)}`;
  }
  return `bt rejects; bt says: ${clip((c.ourMessage ?? "").replace(/'[^']*'|"[^"]*"/g, "'…'").replace(/\b\d+\b/g, "N"), 90)}`;
}

function writeReport(path: string) {
  const base = path === "1" ? join(REPO_ROOT, "tmp/conformance-report") : resolve(path).replace(/\.(md|json)$/, "");
  mkdirSync(dirname(base), { recursive: true });
  const corpus = new Map(loadCorpus().map((p) => [p.key, p]));
  const lines: string[] = ["# Conformance report: bt parser vs bpftrace", ""];
  lines.push("| release | compared | agree | disagree | listed | skipped (other/env) |", "|---|---:|---:|---:|---:|---:|");
  for (const t of ORACLE_TARGETS) {
    const r = results[t];
    lines.push(`| ${t} | ${r.compared} | ${r.agree} | ${r.disagreements.length} | ${Object.keys(listed[t] ?? {}).length} | ${r.skipped} |`);
  }
  for (const t of ORACLE_TARGETS) {
    const ds = results[t].disagreements;
    lines.push("", `## ${t}: ${ds.length} disagreements`, "");
    const byCat = new Map<string, Comparison[]>();
    for (const d of ds) byCat.set(category(d), [...(byCat.get(category(d)) ?? []), d]);
    for (const [cat, items] of [...byCat].sort((a, b) => b[1].length - a[1].length)) {
      lines.push(`### ${items.length} × ${cat}`, "");
      for (const d of items) {
        const text = corpus.get(d.key)?.text ?? "";
        const snippet = text.length <= 200 ? ` — \`${text.replace(/\n/g, "⏎").replace(/`/g, "ˋ")}\`` : "";
        lines.push(`- \`${d.key}\`${snippet}`);
        lines.push(`  - bpftrace: ${d.oracle}${d.oracleMessage ? ` — ${clip(d.oracleMessage, 300)}` : ""}`);
        lines.push(`  - bt: ${d.ours}${d.ourMessage ? ` — ${d.ourLocation ?? ""} ${clip(d.ourMessage, 300)}` : ""}`);
        const reason = listed[d.target]?.[d.key];
        if (reason) lines.push(`  - listed: ${reason}`);
      }
      lines.push("");
    }
  }
  writeFileSync(`${base}.md`, lines.join("\n") + "\n");
  writeFileSync(`${base}.json`, JSON.stringify(Object.fromEntries(ORACLE_TARGETS.map((t) => [t, results[t]])), null, 1) + "\n");
  console.log(`conformance report written to ${base}.md and ${base}.json`);
}

function updateDisagreements() {
  const next: DisagreementList = {};
  for (const t of ORACLE_TARGETS) {
    const entries: Record<string, string> = {};
    // Keep the hand-written entries of conformance-live.test.ts.
    for (const [k, v] of Object.entries(listed[t] ?? {})) if (k.startsWith("live/")) entries[k] = v;
    for (const d of [...results[t].disagreements].sort((a, b) => a.key.localeCompare(b.key))) {
      if (d.ours === "crash") continue; // never listable
      const old = listed[t]?.[d.key];
      entries[d.key] =
        old ??
        (d.oracle === "error"
          ? `TODO: bpftrace rejects (${clip(d.oracleMessage, 120)}), bt accepts`
          : `TODO: bpftrace accepts, bt rejects (${clip(d.ourMessage, 120)})`);
    }
    next[t] = entries;
  }
  mkdirSync(dirname(DISAGREEMENTS_FILE), { recursive: true });
  writeFileSync(DISAGREEMENTS_FILE, JSON.stringify(next, null, 2) + "\n");
  console.log(`rewrote ${DISAGREEMENTS_FILE}`);
}

beforeAll(() => {
  results = compareWithOracle();
  if (REPORT) writeReport(REPORT);
  if (UPDATE) updateDisagreements();
}, 600_000);

afterAll(() => {
  if (!results) return;
  const rows = ORACLE_TARGETS.map((t) => {
    const r = results[t];
    const pct = r.compared ? ((100 * r.agree) / r.compared).toFixed(1) : "-";
    return `  ${t.padEnd(7)} ${String(r.compared).padStart(8)} ${String(r.agree).padStart(7)} ${String(r.disagreements.length).padStart(8)} ${String(
      Object.keys(listed[t] ?? {}).length,
    ).padStart(7)} ${String(r.skipped).padStart(8)} ${pct.padStart(6)}%`;
  });
  console.log(
    ["conformance with bpftrace (parse-level verdicts)", "  release compared   agree disagree  listed  skipped  agree", ...rows].join("\n"),
  );
});

describe("conformance with real bpftrace (fixtures/corpus/verdicts.json)", () => {
  it("has the corpus", () => {
    const corpus = loadCorpus();
    expect(corpus.length).toBeGreaterThan(1700);
    expect(corpus.every((p) => typeof p.text === "string")).toBe(true);
  });

  describe.each(ORACLE_TARGETS)("bpftrace %s", (target) => {
    it("never crashes", () => {
      const crashes = results[target].disagreements.filter((d) => d.ours === "crash");
      expect(crashes.map(describeOne)).toEqual([]);
    });

    it.skipIf(UPDATE)("agrees except for the listed disagreements", () => {
      const list = listed[target] ?? {};
      const unexpected = results[target].disagreements.filter((d) => d.ours !== "crash" && !(d.key in list));
      expect(unexpected.map(describeOne), `unlisted disagreements with bpftrace ${target}`).toEqual([]);
    });

    it.skipIf(UPDATE)("lists only disagreements that still disagree", () => {
      const current = new Set(results[target].disagreements.map((d) => d.key));
      // `live/…` keys belong to conformance-live.test.ts.
      const stale = Object.keys(listed[target] ?? {}).filter((k) => !k.startsWith("live/") && !current.has(k));
      expect(stale, `disagreements.json entries for ${target} that now agree (or no longer compare): remove them`).toEqual([]);
    });
  });
});
