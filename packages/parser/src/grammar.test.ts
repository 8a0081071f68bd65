import { describe, expect, it } from "vitest";
import { BpftraceParser, btParser } from "./grammar.ts";
import { allTokens } from "./lexer.ts";

describe("CST children objects", () => {
  // CST children are plain objects (see BpftraceParser.cstInvocationStateUpdate);
  // a key inherited from Object.prototype would make Chevrotain push onto a function.
  it("no rule or token name is an Object.prototype member", () => {
    const names = [...Object.keys(btParser.getGAstProductions()), ...allTokens.map((t) => t.name)];
    expect(names.length).toBeGreaterThan(50);
    expect(names.filter((n) => n in Object.prototype)).toEqual([]);
  });

  it("builds every node with its own children", () => {
    btParser.input = [];
    const cst = btParser.program();
    expect(cst.name).toBe("program");
    expect(Object.getPrototypeOf(cst.children)).toBe(Object.prototype);
    expect(Object.keys(cst.children)).toEqual([]);
  });
});

describe("grammar definition", () => {
  // Parsers are built with Chevrotain's validations off (start-up time); they run here instead.
  it("passes Chevrotain's grammar validations, with the deferred lookahead strategy", () => {
    process.env.BT_VALIDATE_GRAMMAR = "1";
    try {
      const validated = new BpftraceParser();
      expect((validated as unknown as { skipValidations: boolean }).skipValidations).toBe(false);
      expect((validated as unknown as { definitionErrors: unknown[] }).definitionErrors).toEqual([]);
    } finally {
      delete process.env.BT_VALIDATE_GRAMMAR;
    }
  });
});
