/**
 * Layouts taken from `bpftrace --fmt` (0.27): long call statements and a blank line after `{`.
 * The expected texts were produced by bpftrace-0.27 --fmt; where that binary is installed, it is
 * asked again so that a change in its layout shows here.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { format } from "./format.ts";

const ORACLE = "/usr/local/bin/bpftrace-0.27";

const printfOf = (length: number) => `begin { printf("${"a".repeat(length)}", 1, 2); }\n`;
const fmt = (length: number) => `"${"a".repeat(length)}"`;

const CASES: [string, string, string][] = [
  ["fits on one line", printfOf(70), `begin\n{\n  printf(${fmt(70)}, 1, 2);\n}\n`],
  ["breaks right after the format string", printfOf(74), `begin\n{\n  printf(${fmt(74)},\n         1, 2);\n}\n`],
  ["stays on one line when the format string alone is too wide", printfOf(77), `begin\n{\n  printf(${fmt(77)}, 1, 2);\n}\n`],
  ["puts the arguments on their own line when even that is too wide", printfOf(81), `begin\n{\n  printf(\n    ${fmt(81)}, 1, 2\n  );\n}\n`],
  [
    "breaks again only where the rest does not fit",
    'begin { printf("load averages: %d.%03d %d.%03d %d.%03d\\n", $load1 >> 11, (($load1 & ((1 << 11) - 1)) * 1000) >> 11, $load5 >> 11, (($load5 & ((1 << 11) - 1)) * 1000) >> 11, $load15 >> 11, (($load15 & ((1 << 11) - 1)) * 1000) >> 11); }\n',
    'begin\n{\n  printf("load averages: %d.%03d %d.%03d %d.%03d\\n",\n         $load1 >> 11, (($load1 & ((1 << 11) - 1)) * 1000) >> 11,\n         $load5 >> 11, (($load5 & ((1 << 11) - 1)) * 1000) >> 11,\n         $load15 >> 11, (($load15 & ((1 << 11) - 1)) * 1000) >> 11);\n}\n',
  ],
  ["keeps a blank line after `{`", "end {\n\n  print(1);\n}\n", "end\n{\n\n  print(1);\n}\n"],
];

describe("bpftrace's layout", () => {
  for (const [name, input, output] of CASES) {
    it(name, async () => {
      expect(await format(input)).toBe(output);
      expect(await format(output)).toBe(output);
    });
  }

  it.runIf(existsSync(ORACLE))("agrees with bpftrace-0.27 --fmt on these cases", () => {
    const dir = mkdtempSync(join(tmpdir(), "bt-fmt-layout-"));
    try {
      for (const [, input, output] of CASES) {
        const file = join(dir, "case.bt");
        writeFileSync(file, input);
        expect(execFileSync(ORACLE, ["--fmt", file], { encoding: "utf8" })).toBe(output);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  if (!existsSync(ORACLE)) console.warn(`layout.test.ts: ${ORACLE} is absent; the comparison with bpftrace --fmt is SKIPPED`);
});
