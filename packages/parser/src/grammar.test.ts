import { describe, expect, it } from "vitest";
import { BpftraceParser, btParser } from "./grammar.ts";
import { allTokens, lex } from "./lexer.ts";
import { AstBuilder } from "./cst-to-ast.ts";
import { parse } from "./parse.ts";
import { evenSample, loadCorpus } from "./test-corpus.ts";

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

describe("parse() builds each top-level item's AST as soon as the parser completes it", () => {
  // parse() never holds a whole file's CST (BpftraceParser.topLevelSink); the AST must be the one
  // a whole CST gives, on valid programs and on broken ones (error recovery, partial items).
  const programs = evenSample(loadCorpus(), 150).map((p) => p.text);
  const broken = programs.slice(0, 60).flatMap((t) => [t.slice(0, Math.floor(t.length / 2)), t.replace(/[;)}]/, ""), t.replace("{", "{ {")]);

  it.each([...programs, ...broken].map((text, i) => [i, text] as const))("case %i", (_i, text) => {
    const streamed = parse(text, { target: "0.27" });
    btParser.input = lex(text).tokens;
    const whole = new AstBuilder(text).program(btParser.program(), streamed.ast.comments);
    expect(streamed.ast).toEqual(whole);
  });
});
