/**
 * Live conformance: runs the real bpftrace releases (through
 * /work/shared/oracle/verdict, with execFile and argument arrays — no shell)
 * on a deterministic sample of the corpus plus every fixtures/conformance/live/*.bt,
 * and compares their parse-level verdict with ours. Entries listed in
 * fixtures/conformance/disagreements.json (key = corpus key, or `live/NAME.bt`)
 * are expected to disagree. A release whose binary is absent is skipped loudly.
 *
 *   BT_LIVE_SAMPLE=N   corpus programs per release (default 24)
 *   BT_ORACLE=PATH     the verdict script (default ../shared/oracle/verdict)
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import {
  CONFORMANCE_DIR,
  ORACLE_TARGETS,
  REPO_ROOT,
  evenSample,
  listBtFiles,
  loadCorpus,
  loadDisagreements,
  ourVerdict,
  type OracleTarget,
} from "./test-corpus.ts";

const run = promisify(execFile);
const ORACLE = process.env.BT_ORACLE ?? resolve(REPO_ROOT, "../shared/oracle/verdict");
const SAMPLE = Number(process.env.BT_LIVE_SAMPLE ?? 24);
const CONCURRENCY = 4;

function findBinary(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter).concat("/usr/local/bin")) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

interface LiveCase {
  key: string;
  text: string;
  file: string;
  recorded?: Partial<Record<OracleTarget, [string, string]>>;
}

const scratch = mkdtempSync(join(tmpdir(), "bt-live-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cases(): LiveCase[] {
  const corpus = loadCorpus();
  // Spread the sample over files and test cases alike.
  const sample = evenSample(corpus, SAMPLE);
  const out: LiveCase[] = sample.map((p, i) => {
    let file = p.file;
    if (!file) {
      file = join(scratch, `case-${i}.bt`);
      writeFileSync(file, p.text);
    }
    return { key: p.key, text: p.text, file, recorded: p.verdicts };
  });
  for (const f of listBtFiles(join(CONFORMANCE_DIR, "live"))) {
    out.push({ key: `live/${basename(f)}`, text: readFileSync(f, "utf8"), file: f });
  }
  return out;
}

async function oracleVerdict(version: string, file: string): Promise<[string, string]> {
  // verdict exits 3 when the release is missing; otherwise prints "kind[\tmessage]".
  const { stdout } = await run(ORACLE, [version, file], { timeout: 60_000, maxBuffer: 1 << 20, encoding: "utf8" }).catch(
    (e: { stdout?: string; code?: number }) => {
      if (e.code === 3) return { stdout: "missing" };
      throw e;
    },
  );
  const line = stdout.trim();
  const tab = line.indexOf("\t");
  return tab < 0 ? [line, ""] : [line.slice(0, tab), line.slice(tab + 1)];
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

const listed = loadDisagreements();
const oraclePresent = existsSync(ORACLE);
if (!oraclePresent) console.warn(`\n!!! conformance-live: ${ORACLE} not found — ALL live conformance tests SKIPPED !!!\n`);

describe.each(ORACLE_TARGETS)("live bpftrace %s", (target) => {
  const binary = findBinary(`bpftrace-${target}`);
  if (oraclePresent && !binary) {
    console.warn(`\n!!! conformance-live: bpftrace-${target} is not installed (run /work/shared/oracle/install.sh) — SKIPPED !!!\n`);
  }
  it.skipIf(!oraclePresent || !binary)(
    "agrees with the real release on a sample and on fixtures/conformance/live",
    async () => {
      const all = cases();
      const results = await mapLimit(all, CONCURRENCY, async (c) => ({ c, live: await oracleVerdict(target, c.file) }));
      const problems: string[] = [];
      const drift: string[] = [];
      let compared = 0;
      for (const { c, live } of results) {
        expect(live[0], `oracle output for ${c.key}`).toMatch(/^(ok|error|other|env)$/);
        const rec = c.recorded?.[target];
        if (rec && rec[0] !== live[0] && live[0] !== "env" && rec[0] !== "env") drift.push(`${c.key}: recorded ${rec[0]}, now ${live[0]}`);
        if (live[0] !== "ok" && live[0] !== "error") continue;
        compared++;
        const ours = ourVerdict(c.text, target);
        const isListed = c.key in (listed[target] ?? {});
        if ((ours.ours === live[0]) === isListed || ours.ours === "crash") {
          problems.push(
            `${c.key}: bpftrace ${live[0]}${live[1] ? ` (${live[1]})` : ""}, bt ${ours.ours}${ours.ourMessage ? ` (${ours.ourLocation}: ${ours.ourMessage})` : ""}${
              isListed ? " — listed as a disagreement but agrees" : ""
            }`,
          );
        }
      }
      if (drift.length) console.warn(`conformance-live ${target}: live verdicts differ from verdicts.json:\n  ${drift.join("\n  ")}`);
      console.log(`conformance-live ${target}: ${compared} compared, ${compared - problems.length} as expected`);
      expect(compared).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    },
    600_000,
  );
});
