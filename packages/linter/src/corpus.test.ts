/**
 * Lints the upstream tools corpus (tools-v0.17.0, tools-v0.21.0, tools-HEAD), each at its own
 * release, and compares against src/corpus-findings.json (each expected finding with the
 * reason it is a real issue). Anything else is a false positive and fails the test.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { lintText } from "./lint.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const corpus = resolve(root, "../shared/corpus");
const expectedFile = join(dirname(fileURLToPath(import.meta.url)), "corpus-findings.json");
export const CORPUS_SETS: [string, string][] = [["tools-v0.17.0", "0.17"], ["tools-v0.21.0", "0.21"], ["tools-HEAD", "0.27"]];

const present = existsSync(corpus);
if (!present) console.warn(`corpus not found at ${corpus} — skipping the corpus false-positive test`);

describe.skipIf(!present)("no false positives on the bpftrace tools corpus", () => {
  it("gives exactly the documented findings", () => {
    const expected = JSON.parse(readFileSync(expectedFile, "utf8")) as { file: string; rule: string; line: number; column: number; reason: string }[];
    const actual: { file: string; rule: string; line: number; column: number }[] = [];
    let files = 0;
    for (const [dir, target] of CORPUS_SETS) {
      for (const f of globSync(`${dir}/**/*.bt`, { cwd: corpus }).sort()) {
        files++;
        const r = lintText(readFileSync(join(corpus, f), "utf8"), { target, readFileSystem: false });
        expect(r.parseOk, f).toBe(true);
        for (const x of r.findings) actual.push({ file: f, rule: x.ruleId, line: x.range.start.line, column: x.range.start.column });
      }
    }
    expect(files).toBeGreaterThan(110);
    expect(actual).toEqual(expected.map(({ reason: _r, ...rest }) => rest));
    for (const e of expected) expect(e.reason.length).toBeGreaterThan(20);
  });
});
