import { describe, expect, it } from "vitest";
import { baselineTokenize, shapeCopier } from "./bench.ts";
import { parse } from "./parse.ts";

describe("bench helpers", () => {
  it("the AST copy used as the allocation floor is a deep copy that shares no object with the original", () => {
    const ast = parse('BEGIN { @a[1, "x"] = count(); if ($x > 0) { printf("%d\\n", $x); } }').ast;
    const copy = shapeCopier(ast)(ast) as typeof ast;
    expect(copy).toEqual(ast);
    expect(copy).not.toBe(ast);
    expect(copy.body[0]).not.toBe(ast.body[0]);
    expect(copy.body[0]!.range.start).not.toBe(ast.body[0]!.range.start);
  });

  it("the baseline tokenizer counts tokens", () => {
    expect(baselineTokenize('BEGIN { printf("hi"); }')).toBe(11); // layout runs count: BEGIN, " ", {, " ", printf, (, "hi", ), ;, " ", }
  });
});
