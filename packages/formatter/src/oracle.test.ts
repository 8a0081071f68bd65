/**
 * Meaning kept, judged by real bpftrace: for every corpus program that
 * `bpftrace-0.27 --fmt` accepts, `--fmt` of our output equals `--fmt` of the
 * input once comments are removed from both (blank lines aside). Files run concurrently;
 * see oracle-helpers.ts for how each call gets its own input file.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { format } from "./format.ts";
import { pool, runOracleCached } from "./oracle-helpers.ts";
import { corpusPrograms, parses, stripComments } from "./test-helpers.ts";

const ORACLE = "/usr/local/bin/bpftrace-0.27";
const haveOracle = existsSync(ORACLE);
if (!haveOracle) console.warn(`oracle test SKIPPED: ${ORACLE} is absent (run ../shared/oracle/install.sh)`);

interface FmtResult {
  ok: boolean;
  out: string;
}

function oracleFmt(program: string): Promise<FmtResult> {
  return runOracleCached(ORACLE, ["--fmt"], "0.27 --fmt", program, ({ failed, stdout }) => ({ ok: !failed, out: stdout }));
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

describe.skipIf(!haveOracle)("oracle: bpftrace-0.27 --fmt agrees the meaning is kept", () => {
  it(
    "every corpus program bpftrace --fmt accepts",
    async () => {
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
