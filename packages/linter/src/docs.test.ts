import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { rules } from "./rules/index.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const docsDir = join(root, "docs/rules");
const rulesDir = join(root, "packages/linter/src/rules");

describe("rule docs, files and registry agree", () => {
  const docs = readdirSync(docsDir).filter((f) => f.endsWith(".md")).map((f) => f.slice(0, -3)).sort();
  it("every registered rule has a doc page and every doc page a rule", () => {
    expect(docs).toEqual(Object.keys(rules).sort());
  });
  for (const [id, rule] of Object.entries(rules)) {
    it(`${id}: file, test, doc sections, description and docs URL`, () => {
      expect(rule.meta.id).toBe(id);
      expect(existsSync(join(rulesDir, `${id}.ts`))).toBe(true);
      expect(existsSync(join(rulesDir, `${id}.test.ts`)), `${id}.test.ts missing`).toBe(true);
      const md = readFileSync(join(docsDir, `${id}.md`), "utf8");
      expect(md.split("\n")[0]).toBe(`# ${id}`);
      expect(md).toContain(rule.meta.description);
      for (const h of ["## Problem", "## Example", "## Fix", "## Rationale", "## Exceptions"]) expect(md).toContain(h);
      expect(rule.meta.docsUrl.endsWith(`/docs/rules/${id}.md`)).toBe(true);
    });
  }
});
