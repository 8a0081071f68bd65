import { describe, expect, it } from "vitest";
import type { CstNode, IToken } from "chevrotain";
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

describe("CST child lists", () => {
  // Lists of two or three are rebuilt as arrays of their length (addChild); longer ones grow by push.
  it.each([1, 2, 3, 4, 6])("keep %i children of one kind in source order", (count) => {
    const args = Array.from({ length: count }, (_, i) => String(i + 1));
    btParser.input = lex(`BEGIN { f(${args.join(", ")}); }`).tokens;
    const cst = btParser.program();
    const probe = (cst.children.topLevelItem![0] as CstNode).children.probe![0] as CstNode;
    const block = (probe.children.block![0] as CstNode).children;
    const statement = (block.statement![0] as CstNode).children.simpleStatement![0] as CstNode;
    const expression = (statement.children.expression![0] as CstNode).children.unary![0] as CstNode;
    const primary = (expression.children.primary![0] as CstNode).children;
    expect(primary.callArg).toHaveLength(count);
    expect((primary.Comma ?? []).map((t) => (t as IToken).startOffset)).toEqual(
      args.slice(1).map((_, i) => `BEGIN { f(${args.slice(0, i + 1).join(", ")}`.length),
    );
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
