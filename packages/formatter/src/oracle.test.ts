/**
 * Meaning kept, judged by real bpftrace: for every corpus program that
 * `bpftrace-0.27 --fmt` accepts, `--fmt` of our output equals `--fmt` of the
 * input once comments are removed from both (blank lines aside). Results of the oracle are cached
 * per content hash in the temp directory; files run concurrently.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { format } from "./format.ts";
import { corpusPrograms, parses, stripComments } from "./test-helpers.ts";

const ORACLE = "/usr/local/bin/bpftrace-0.27";
const CACHE_DIR = join(tmpdir(), "bt-fmt-oracle-cache");
const haveOracle = existsSync(ORACLE);
if (!haveOracle) console.warn(`oracle test SKIPPED: ${ORACLE} is absent (run ../shared/oracle/install.sh)`);

interface FmtResult {
  ok: boolean;
  out: string;
}

function oracleFmt(program: string): Promise<FmtResult> {
  const key = createHash("sha256").update("0.27\0").update(program).digest("hex");
  const cached = join(CACHE_DIR, `${key}.json`);
  if (existsSync(cached)) return Promise.resolve(JSON.parse(readFileSync(cached, "utf8")) as FmtResult);
  // A file, not `-e`: the bench programs are larger than the argument-size limit.
  const input = join(CACHE_DIR, `${key}.bt`);
  writeFileSync(input, program);
  return new Promise((resolve) => {
    execFile(ORACLE, ["--fmt", input], { timeout: 60_000, maxBuffer: 256 << 20 }, (err, stdout) => {
      const result = { ok: !err, out: stdout };
      writeFileSync(cached, JSON.stringify(result));
      rmSync(input, { force: true });
      resolve(result);
    });
  });
}

/**
 * Blank lines are layout, not meaning (and removing comments leaves blank lines
 * of its own): compare bpftrace's output without them.
 */
function layoutFree(text: string): string {
  return text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l !== "")
    .join("\n");
}

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

describe.skipIf(!haveOracle)("oracle: bpftrace-0.27 --fmt agrees the meaning is kept", () => {
  it(
    "every corpus program bpftrace --fmt accepts",
    async () => {
      mkdirSync(CACHE_DIR, { recursive: true });
      const programs = corpusPrograms().filter((p) => p.key.endsWith(".bt") && parses(p.text));
      let accepted = 0;
      let kept = 0;
      const failures: string[] = [];
      await pool(programs, 8, async (p) => {
        const ours = await format(p.text);
        const [a, b] = await Promise.all([oracleFmt(stripComments(p.text)), oracleFmt(stripComments(ours))]);
        if (!a.ok) return;
        accepted++;
        if (b.ok && layoutFree(a.out) === layoutFree(b.out)) kept++;
        else failures.push(`${p.key}: ${b.ok ? "bpftrace --fmt output differs" : "bpftrace rejects our output"}`);
      });
      console.log(`oracle: ${programs.length} corpus files parse, bpftrace-0.27 --fmt accepts ${accepted}, meaning kept ${kept}/${accepted}`);
      expect(accepted).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    },
    600_000,
  );
});
