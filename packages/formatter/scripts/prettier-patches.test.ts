import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import * as prettier from "prettier/standalone";
import plugin from "../src/index.ts";
import { gapsOf, insertComment } from "../src/comment-insertion.ts";
import { REPO_ROOT } from "../src/test-helpers.ts";
import { patchPrettier } from "./prettier-patches.mjs";

// the ES module build, the one the bundles (and `prettier/standalone` above) use
const standalonePath = join(dirname(createRequire(import.meta.url).resolve("prettier/package.json")), "standalone.mjs");
const installed = readFileSync(standalonePath, "utf8");

describe("Prettier patches (bt-fmt's bundles)", () => {
  it("every patch applies to the installed Prettier", () => {
    expect(patchPrettier(installed).missed).toEqual([]);
  });

  it("rewrites the decorated-comment spread into assignments, names kept", () => {
    const snippet = "c=r.map((f,m)=>({...fn(t,f,e),comment:f,text:i,options:e,ast:t,isLastComment:r.length-1===m,placement:void 0})),p=!o";
    expect(patchPrettier(snippet)).toEqual({
      code: "c=r.map((f,m)=>{const __btDecorated=fn(t,f,e);__btDecorated.comment=f;__btDecorated.text=i;__btDecorated.options=e;__btDecorated.ast=t;__btDecorated.isLastComment=r.length-1===m;__btDecorated.placement=void 0;return __btDecorated}),p=!o",
      missed: [],
    });
    expect(patchPrettier("c=r.map((f,m)=>({...fn(t,f,e),comment:f}))").missed).toEqual(["decorated comments without an object spread"]);
  });

  const dir = mkdtempSync(join(tmpdir(), "bt-prettier-patch-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the patched Prettier formats exactly as the installed one: format fixtures, with a comment in every gap", async () => {
    const file = join(dir, "standalone.mjs");
    const { code } = patchPrettier(installed);
    expect(code).toContain("__btDecorated.placement=void 0");
    writeFileSync(file, code);
    const patched = (await import(pathToFileURL(file).href)) as typeof prettier;
    const fixtures = join(REPO_ROOT, "fixtures/format");
    const inputs: string[] = [];
    for (const name of readdirSync(fixtures)) {
      const text = readFileSync(join(fixtures, name, "input.bt"), "utf8");
      inputs.push(text);
      for (const gap of gapsOf(text)) inputs.push(insertComment(text, gap, gap.before % 2 === 0 ? "line" : "block"));
    }
    let compared = 0;
    for (const text of inputs) {
      const options = { parser: "bpftrace", plugins: [plugin] };
      const expected = await prettier.format(text, options).catch((e: Error) => `error: ${e.message}`);
      expect(await patched.format(text, options).catch((e: Error) => `error: ${e.message}`)).toBe(expected);
      compared++;
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
