/**
 * Meaning kept for programs of older releases, judged by real bpftrace 0.17:
 * `bpftrace-0.17 -d` (a dry run that prints the AST after each pass) of our
 * output gives the same "AST after: parser" section as of the input, once
 * comments are removed from both. Later passes may fail here (no kernel headers,
 * untraceable functions); only the parser's dump matters. Programs whose input
 * 0.17 cannot parse are not counted. Oracle calls go through oracle-helpers.ts,
 * like oracle.test.ts.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { format } from "./format.ts";
import { pool, runOracleCached } from "./oracle-helpers.ts";
import { SHARED_CORPUS, parses, stripComments } from "./test-helpers.ts";

const ORACLE = "/usr/local/bin/bpftrace-0.17";
/** Tool sets of older releases in the shared corpus. */
const OLD_RELEASE_DIRS = ["tools-v0.17.0", "tools-v0.21.0"];
const haveOracle = existsSync(ORACLE);
if (!haveOracle) console.warn(`oracle 0.17 test SKIPPED: ${ORACLE} is absent (run ../shared/oracle/install.sh)`);

/** The "AST after: parser" section of a `-d` dump, or undefined when there is none (a parse error). */
export function parserSection(stdout: string): string | undefined {
  const header = /^AST after: parser\n-+\n/m.exec(stdout);
  if (!header) return undefined;
  const rest = stdout.slice(header.index + header[0].length);
  const next = rest.search(/^AST after: /m);
  const section = (next === -1 ? rest : rest.slice(0, next)).replace(/\s+$/, "");
  return section.includes("Program") ? section : undefined;
}

function parserDump(program: string): Promise<string | null> {
  // later passes may fail (exit status ≠ 0): the parser's section is all we read
  return runOracleCached(ORACLE, ["-d"], "0.17 -d parser", program, ({ stdout }) => parserSection(stdout) ?? null);
}

describe("parserSection", () => {
  it("takes the parser's dump, C definitions included, up to the next pass", () => {
    const out = "\nAST after: parser\n-------------------\n#include <a.h>\n\nProgram\n BEGIN\n\nAST after: Semantic\n---\nProgram\n";
    expect(parserSection(out)).toBe("#include <a.h>\n\nProgram\n BEGIN");
    expect(parserSection("stdin:1:1-2: ERROR: syntax error\n")).toBeUndefined();
  });
});

describe.skipIf(!haveOracle)("oracle: bpftrace-0.17 -d agrees the meaning is kept (older releases)", () => {
  it(
    "every older-release tool 0.17 parses",
    async () => {
      const programs: { key: string; text: string }[] = [];
      for (const dir of OLD_RELEASE_DIRS) {
        const root = join(SHARED_CORPUS, dir);
        if (!existsSync(root)) continue;
        for (const name of readdirSync(root).sort()) {
          if (!name.endsWith(".bt")) continue;
          const text = readFileSync(join(root, name), "utf8");
          if (parses(text)) programs.push({ key: `${dir}/${name}`, text });
        }
      }
      expect(programs.length).toBeGreaterThan(0);
      let accepted = 0;
      let kept = 0;
      const failures: string[] = [];
      await pool(programs, 4, async (p) => {
        const ours = await format(p.text);
        const [a, b] = await Promise.all([parserDump(stripComments(p.text)), parserDump(stripComments(ours))]);
        if (a === null) return;
        accepted++;
        if (b === a) kept++;
        else failures.push(`${p.key}: ${b === null ? "bpftrace-0.17 cannot parse our output" : "parser AST differs"}`);
      });
      console.log(`oracle 0.17: ${programs.length} older-release tools parse, bpftrace-0.17 parses ${accepted}, AST kept ${kept}/${accepted}`);
      expect(accepted).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    },
    600_000,
  );
});
