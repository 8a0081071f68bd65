import type { CstNode, IToken, CstElement } from "chevrotain";
import type * as A from "./ast.ts";
import * as T from "./lexer.ts";
import { isParserBuiltinName } from "./builtin-names.ts";
import { parseAttachPoint } from "./attach-point.ts";
import { integerValue, stringValue } from "./literals.ts";
import { LineIndex } from "./line-index.ts";

type Children = Record<string, CstElement[] | undefined>;

/** What `nodesOf` and `validTokens` return for an absent child; never written to. */
const NONE: readonly never[] = Object.freeze([]);

// CST children are read by name at each use (`ch.Semi`), not through one shared `ch[name]`:
// every read site then keeps its own inline cache, for the few hidden classes of one rule's nodes.

function tokenAt(list: CstElement[] | undefined, i = 0): IToken | undefined {
  return list?.[i] as IToken | undefined;
}

function nodeAt(list: CstElement[] | undefined, i = 0): CstNode | undefined {
  return list?.[i] as CstNode | undefined;
}

function nodesOf(list: CstElement[] | undefined): readonly CstNode[] {
  return (list ?? NONE) as readonly CstNode[];
}

/**
 * A list built with `push`, as an array of its own length. V8 gives an array room for 16
 * elements on its first push, and most lists in an AST hold one or two: the exact copy makes
 * the tree that outlives the parse about an eighth smaller (less for the garbage collector to copy).
 */
function packed<T>(list: T[]): T[] {
  return list.length === 0 ? list : list.slice();
}

const BINARY_PRECEDENCE: Record<string, number> = {
  "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6, "<": 7, ">": 7, "<=": 7, ">=": 7,
  "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10,
};


/**
 * Turns Chevrotain's CST into the typed AST. Under error recovery any child
 * can be missing, so every accessor tolerates absence; a construct that cannot
 * be rebuilt is dropped (its diagnostics were already reported by the parser).
 */
export class AstBuilder {
  readonly diagnostics: A.Diagnostic[] = [];
  /** Whether the simple statement built last was written with its `;`. */
  private lastTerminated = false;
  private lastPosition: A.Position = { offset: 0, line: 1, column: 1 };

  private readonly lines: LineIndex;

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  // -- positions ------------------------------------------------------------

  private validToken(t: IToken): boolean {
    return !t.isInsertedInRecovery && Number.isFinite(t.startOffset) && t.startOffset >= 0;
  }

  tokenRange(t: IToken): A.Range {
    const start = this.tokenStart(t);
    return { start, end: this.tokenEnd(t) };
  }

  private tokenStart(t: IToken): A.Position {
    if (!this.validToken(t)) return this.lastPosition;
    return this.lines.position(t.startOffset);
  }

  /** Just past token `t`. */
  private tokenEnd(t: IToken): A.Position {
    if (!this.validToken(t)) return this.lastPosition;
    // The lexer tracks start offsets only (lexer.ts).
    const end = this.lines.position(t.startOffset + t.image.length);
    this.lastPosition = end;
    return end;
  }

  /** From the start of `first` to the end of token `t`. */
  private spanToToken(first: A.Range, t: IToken): A.Range {
    const end = this.tokenEnd(t);
    return { start: first.start, end: end.offset >= first.start.offset ? end : first.end };
  }

  /** From the start of token `t` to the end of `last`. */
  private spanFromToken(t: IToken, last: A.Range): A.Range {
    const start = this.tokenStart(t);
    return { start, end: last.end.offset >= start.offset ? last.end : this.tokenEnd(t) };
  }

  private span(first: A.Range, last: A.Range): A.Range {
    return { start: first.start, end: last.end.offset >= first.start.offset ? last.end : first.end };
  }

  private describeAt(offset: number): string {
    const word = /^\S{1,20}/.exec(this.text.slice(offset, offset + 20))?.[0] ?? "";
    return word ? `'${word}'` : "end of file";
  }

  private error(range: A.Range, message: string, code: A.Diagnostic["code"] = "syntax"): void {
    this.diagnostics.push({ severity: "error", message, range, code });
  }

  // -- CST access -------------------------------------------------------------

  /** The valid tokens of a child list: tokens inserted by error recovery have no place in the source. */
  private validTokens(all: CstElement[] | undefined): readonly IToken[] {
    if (!all) return NONE;
    const tokens = all as IToken[];
    for (let i = 0; i < tokens.length; i++) if (!this.validToken(tokens[i])) return tokens.filter((u) => this.validToken(u));
    return tokens;
  }

  /**
   * The valid tokens of several child lists, in source order. Most nodes have at most one of the
   * lists: that one is returned as it is, already in order (a list holds its tokens in the order
   * the parser consumed them), without a merged copy to sort.
   */
  private tokensInOrder(...lists: (CstElement[] | undefined)[]): readonly IToken[] {
    let only: CstElement[] | undefined;
    let present = 0;
    for (let i = 0; i < lists.length; i++) {
      if (lists[i] === undefined) continue;
      only = lists[i];
      present++;
    }
    if (present <= 1) return this.validTokens(only);
    const merged: IToken[] = [];
    for (let i = 0; i < lists.length; i++) {
      const valid = this.validTokens(lists[i]);
      for (let j = 0; j < valid.length; j++) merged.push(valid[j]);
    }
    return merged.sort((a, b) => a.startOffset - b.startOffset);
  }

  // -- program ----------------------------------------------------------------

  private readonly body: A.TopLevel[] = [];
  private shebang: A.Shebang | undefined;

  /** The AST of a whole program's CST. */
  program(cst: CstNode, comments: A.Comment[]): A.Program {
    for (const item of nodesOf(cst.children.topLevelItem)) this.addTopLevelItem(item);
    return this.finish(comments);
  }

  /** Adds one top-level item, in source order (parse() hands them over as the parser completes them). */
  addTopLevelItem(item: CstNode): void {
    const ch = item.children;
    const sheb = tokenAt(ch.Shebang);
    if (sheb) {
      this.shebang = { type: "Shebang", text: sheb.image, range: this.tokenRange(sheb) };
      return;
    }
    const built = this.topLevelItem(ch);
    if (built) this.body.push(built);
  }

  /** The program of the items added so far. */
  finish(comments: A.Comment[]): A.Program {
    return {
      type: "Program",
      shebang: this.shebang,
      body: this.body,
      comments,
      range: { start: { offset: 0, line: 1, column: 1 }, end: this.position(this.text.length) },
    };
  }

  /** The line and column of `offset` (also for diagnostics made outside the builder). */
  position(offset: number): A.Position {
    return this.lines.position(offset);
  }

  private readonly positionAt = (offset: number): A.Position => this.lines.position(offset);



  private topLevelItem(ch: Children): A.TopLevel | undefined {
    const pre = tokenAt(ch.CPreprocessor);
    if (pre) return { type: "CPreprocessor", text: pre.image, range: this.tokenRange(pre) };
    const cdef = tokenAt(ch.CDefinition);
    if (cdef) {
      const m = /^(struct|union|enum)\s+([A-Za-z_][A-Za-z0-9_]*)?/.exec(cdef.image);
      return {
        type: "CDefinition",
        kind: (m?.[1] ?? "struct") as A.CDefinition["kind"],
        name: m?.[2],
        text: cdef.image,
        range: this.tokenRange(cdef),
      };
    }
    let n: CstNode | undefined;
    if ((n = nodeAt(ch.probe))) return this.probe(n.children);
    if ((n = nodeAt(ch.configBlock))) return this.configBlock(n.children);
    if ((n = nodeAt(ch.importDecl))) return this.importDecl(n.children);
    if ((n = nodeAt(ch.macroDef))) return this.macroDef(n.children);
    if ((n = nodeAt(ch.fnDef))) return this.fnDef(n.children);
    if ((n = nodeAt(ch.mapDecl))) return this.mapDecl(n.children);
    return undefined;
  }

  private configBlock(ch: Children): A.ConfigBlock | undefined {
    const kw = tokenAt(ch.Config);
    const close = tokenAt(ch.RCurly);
    if (!kw) return undefined;
    const items: A.ConfigItem[] = [];
    for (const it of nodesOf(ch.configItem)) {
      const name = tokenAt(it.children.Name);
      const valueNode = nodeAt(it.children.expression);
      if (!name || !valueNode) continue;
      const key = this.identifier(name);
      const value = this.expression(valueNode);
      if (!value) continue;
      items.push({ type: "ConfigItem", key, value, range: this.span(key.range, value.range) });
    }
    // Items must be separated by `;`.
    const semis = this.validTokens(ch.Semi).map((t) => t.startOffset);
    for (let i = 1; i < items.length; i++) {
      const prevEnd = items[i - 1].range.end.offset;
      const nextStart = items[i].range.start.offset;
      if (!semis.some((o) => o >= prevEnd && o < nextStart)) this.error(items[i].range, "expected ';' between config items");
    }
    const last = close ? this.tokenRange(close) : items.at(-1)?.range ?? this.tokenRange(kw);
    return { type: "ConfigBlock", items: packed(items), range: this.spanFromToken(kw, last) };
  }

  private importDecl(ch: Children): A.Import | undefined {
    const kw = tokenAt(ch.Import);
    const str = tokenAt(ch.StringLit);
    if (!kw || !str) return undefined;
    const path = this.stringLiteral(str);
    const semi = tokenAt(ch.Semi);
    return { type: "Import", path, range: this.spanFromToken(kw, semi ? this.tokenRange(semi) : path.range) };
  }

  private macroDef(ch: Children): A.MacroDef | undefined {
    const kw = tokenAt(ch.Macro);
    const nameTok = tokenAt(ch.Name);
    const blockNode = nodeAt(ch.block);
    if (!kw || !nameTok || !blockNode) return undefined;
    const params: A.MacroDef["params"] = [];
    const paramToks = [...this.validTokens(ch.Variable), ...this.validTokens(ch.MapName), ...this.validTokens(ch.Name).slice(1)].sort(
      (a, b) => a.startOffset - b.startOffset,
    );
    for (const t of paramToks) {
      if (t.tokenType === T.Variable) params.push(this.variable(t));
      else if (t.tokenType === T.MapName) params.push(this.mapRef(t));
      else {
        if (isParserBuiltinName(t.image)) this.error(this.tokenRange(t), `'${t.image}' is a builtin and cannot be a macro parameter`);
        params.push(this.identifier(t));
      }
    }
    const body = this.block(blockNode);
    return { type: "MacroDef", name: this.identifier(nameTok), params: packed(params), body, range: this.spanFromToken(kw, body.range) };
  }

  private fnDef(ch: Children): A.FnDef | undefined {
    const kw = tokenAt(ch.Fn);
    const nameTok = tokenAt(ch.Name);
    const ret = nodeAt(ch.typeRef);
    const blockNode = nodeAt(ch.block);
    if (!kw || !nameTok || !ret || !blockNode) return undefined;
    const params: A.FnParam[] = [];
    for (const p of nodesOf(ch.fnParam)) {
      const v = tokenAt(p.children.Variable);
      const t = nodeAt(p.children.typeRef);
      if (!v || !t) continue;
      const variable = this.variable(v);
      const typeRef = this.typeRef(t);
      if (!typeRef) continue;
      params.push({ type: "FnParam", variable, typeRef, range: this.span(variable.range, typeRef.range) });
    }
    const returnType = this.typeRef(ret);
    if (!returnType) return undefined;
    const body = this.block(blockNode);
    return { type: "FnDef", name: this.identifier(nameTok), params: packed(params), returnType, body, range: this.spanFromToken(kw, body.range) };
  }

  private mapDecl(ch: Children): A.MapDecl | undefined {
    const kw = tokenAt(ch.Let);
    const m = tokenAt(ch.MapName);
    const kind = tokenAt(ch.Name);
    const size = tokenAt(ch.Integer);
    const close = tokenAt(ch.RParen);
    if (!kw || !m || !kind) return undefined;
    if (!size) {
      this.error(close ? this.tokenRange(close) : this.tokenRange(kind), "expected positive integer for map declaration max entries");
      return undefined;
    }
    const semi = tokenAt(ch.Semi);
    const end = semi ?? close ?? size;
    return {
      type: "MapDecl",
      map: this.mapRef(m),
      kind: this.identifier(kind),
      size: this.integer(size),
      range: this.spanFromToken(kw, this.tokenRange(end)),
    };
  }

  // -- probes -----------------------------------------------------------------

  private probe(ch: Children): A.Probe | undefined {
    const aps = this.validTokens(ch.AttachPoint);
    const blockNode = nodeAt(ch.block);
    if (aps.length === 0) return undefined;
    const attachPoints = aps.map((t) => parseAttachPoint(t.image, this.tokenRange(t), this.positionAt));
    let predicate: A.Predicate | undefined;
    const predNode = nodeAt(ch.predicate);
    if (predNode) {
      const open = tokenAt(predNode.children.Slash);
      const close = tokenAt(predNode.children.PredicateClose);
      const exprNode = nodeAt(predNode.children.expression);
      const expression = exprNode && this.expression(exprNode);
      if (open && expression) {
        predicate = {
          type: "Predicate",
          expression,
          range: this.spanFromToken(open, close && this.validToken(close) ? this.tokenRange(close) : expression.range),
        };
      }
    }
    const first = attachPoints[0].range;
    const body = blockNode ? this.block(blockNode) : { type: "Block" as const, statements: [], range: attachPoints.at(-1)!.range };
    return { type: "Probe", attachPoints, predicate, body, range: this.span(first, body.range) };
  }

  // -- statements -------------------------------------------------------------

  block(cst: CstNode): A.Block {
    const ch = cst.children;
    const open = tokenAt(ch.LCurly);
    const statements: A.Statement[] = [];
    // Only read for statements that need a `;` (simple statements, which set it last).
    const terminated: boolean[] = [];
    const statementNodes = nodesOf(ch.statement);
    for (let i = 0; i < statementNodes.length; i++) {
      const built = this.statement(statementNodes[i].children);
      if (built) {
        statements.push(built);
        terminated.push(this.lastTerminated);
      }
    }
    const close = tokenAt(ch.RCurly);
    const openRange = open ? this.tokenRange(open) : statements[0]?.range ?? { start: this.lastPosition, end: this.lastPosition };
    const range = close && this.validToken(close) ? this.spanToToken(openRange, close) : this.span(openRange, statements.at(-1)?.range ?? openRange);
    for (let i = 0; i < statements.length - 1; i++) {
      const st = statements[i];
      if (needsSemicolon(st) && !terminated[i]) this.error({ start: st.range.end, end: st.range.end }, `expected ';', found ${this.describeAt(statements[i + 1].range.start.offset)}`);
    }
    const last = statements.at(-1);
    const isResult = last && last.type === "ExpressionStatement" && !last.semicolon && last.expression.type !== "IfExpression" && last.expression.type !== "Block";
    if (isResult) statements.pop();
    const block: A.Block = { type: "Block", statements: packed(statements), range };
    if (isResult) block.result = (last as A.ExpressionStatement).expression;
    return block;
  }

  private statement(ch: Children): A.Statement | undefined {
    let n: CstNode | undefined;
    if ((n = nodeAt(ch.simpleStatement))) return this.simpleStatement(n.children);
    if ((n = nodeAt(ch.ifExpr))) {
      const expr = this.ifExpr(n.children);
      if (!expr) return undefined;
      const semi = tokenAt(ch.Semi);
      return { type: "ExpressionStatement", expression: expr, semicolon: !!semi, range: semi ? this.spanToToken(expr.range, semi) : expr.range };
    }
    if ((n = nodeAt(ch.block))) {
      const expr = this.block(n);
      const semi = tokenAt(ch.Semi);
      return { type: "ExpressionStatement", expression: expr, semicolon: !!semi, range: semi ? this.spanToToken(expr.range, semi) : expr.range };
    }
    if ((n = nodeAt(ch.whileStatement))) return this.loop(n.children, "WhileStatement");
    if ((n = nodeAt(ch.unrollStatement))) return this.loop(n.children, "UnrollStatement");
    if ((n = nodeAt(ch.forStatement))) return this.forStatement(n.children);
    const semi = tokenAt(ch.Semi);
    if (semi && this.validToken(semi)) this.error(this.tokenRange(semi), "expected expression, found ';' (bpftrace has no empty statement)");
    return undefined;
  }

  private simpleStatement(ch: Children): A.Statement | undefined {
    const semi = tokenAt(ch.Semi);
    const hasSemi = !!semi && this.validToken(semi);
    const st = this.simpleStatementBody(ch, semi, hasSemi);
    this.lastTerminated = hasSemi;
    return st;
  }

  private simpleStatementBody(ch: Children, semi: IToken | undefined, hasSemi: boolean): A.Statement | undefined {
    const end = hasSemi ? semi : undefined;
    if (firstKey(ch) !== "expression") return this.keywordStatement(ch, end);
    return this.expressionStatement(ch, end);
  }

  /** A simple statement's range: through its `;` when it has one. */
  private withEnd(range: A.Range, semi: IToken | undefined): A.Range {
    return semi ? this.spanToToken(range, semi) : range;
  }

  /** From the start of `first` to the end of `last`, or to the `;` after it. */
  private spanWithEnd(first: A.Range, last: A.Range, semi: IToken | undefined): A.Range {
    return semi ? this.spanToToken(first, semi) : this.span(first, last);
  }

  private keywordStatement(ch: Children, semi: IToken | undefined): A.Statement | undefined {
    let t: IToken | undefined;
    if ((t = tokenAt(ch.Break))) return { type: "BreakStatement", range: this.withEnd(this.tokenRange(t), semi) };
    if ((t = tokenAt(ch.Continue))) return { type: "ContinueStatement", range: this.withEnd(this.tokenRange(t), semi) };
    if ((t = tokenAt(ch.Return))) {
      const valueNode = nodeAt(ch.expression);
      const value = valueNode && this.expression(valueNode);
      return { type: "ReturnStatement", value, range: this.withEnd(value ? this.spanFromToken(t, value.range) : this.tokenRange(t), semi) };
    }
    if ((t = tokenAt(ch.Import))) {
      const str = tokenAt(ch.StringLit);
      if (!str) return undefined;
      if (!semi) this.error(this.tokenRange(str), "expected ';' after import");
      const path = this.stringLiteral(str);
      return { type: "Import", path, range: this.withEnd(this.spanFromToken(t, path.range), semi) };
    }
    let n: CstNode | undefined;
    if ((n = nodeAt(ch.letStatement))) {
      const lch = n.children;
      const kw = tokenAt(lch.Let)!;
      const v = tokenAt(lch.Variable);
      if (!v) return undefined;
      const typeNode = nodeAt(lch.typeRef);
      const valueNode = nodeAt(lch.expression);
      const typeRef = typeNode && this.typeRef(typeNode);
      const value = valueNode && this.expression(valueNode);
      const variable = this.variable(v);
      const last = value?.range ?? typeRef?.range ?? variable.range;
      return { type: "LetStatement", variable, typeRef, value, range: this.withEnd(this.spanFromToken(kw, last), semi) };
    }
    return undefined;
  }

  private expressionStatement(ch: Children, semi: IToken | undefined): A.Statement | undefined {
    const lhsNode = nodeAt(ch.expression, 0);
    if (!lhsNode) return undefined;
    const lhs = this.expression(lhsNode);
    if (!lhs) return undefined;
    const opTok = tokenAt(ch.AssignOp);
    const valueNode = nodeAt(ch.expression, 1);
    if (opTok && valueNode) {
      const value = this.expression(valueNode);
      if (!value) return undefined;
      if (lhs.type === "Identifier" && lhs.name === "_" && opTok.image === "=") {
        return { type: "DiscardStatement", value, range: this.spanWithEnd(lhs.range, value.range, semi) };
      }
      if (lhs.type !== "Variable" && lhs.type !== "MapRef" && lhs.type !== "MapAccess") {
        this.error(lhs.range, lhs.type === "FieldAccess" || lhs.type === "TupleIndex"
          ? "Tuples and records are immutable once created; only variables and maps can be assigned"
          : "only a variable or a map can be assigned");
        return undefined;
      }
      return { type: "Assignment", target: lhs, operator: opTok.image as A.AssignmentOperator, value, range: this.spanWithEnd(lhs.range, value.range, semi) };
    }
    return { type: "ExpressionStatement", expression: lhs, semicolon: !!semi, range: this.withEnd(lhs.range, semi) };
  }

  private loop(ch: Children, type: "WhileStatement" | "UnrollStatement"): A.Statement | undefined {
    const kw = tokenAt(type === "WhileStatement" ? ch.While : ch.Unroll);
    const condNode = nodeAt(ch.condition);
    const blockNode = nodeAt(ch.block);
    if (!kw || !condNode || !blockNode) return undefined;
    const condition = this.condition(condNode.children);
    if (!condition) return undefined;
    const body = this.block(blockNode);
    const range = this.spanFromToken(kw, body.range);
    return type === "WhileStatement"
      ? { type, condition, body, range }
      : { type, count: condition, body, range };
  }

  private forStatement(ch: Children): A.ForStatement | undefined {
    const kw = tokenAt(ch.For);
    const headNode = nodeAt(ch.forHead);
    const blockNode = nodeAt(ch.block);
    if (!kw || !headNode || !blockNode) return undefined;
    const hch = headNode.children;
    const v = tokenAt(hch.Variable);
    if (!v) return undefined;
    let iterable: A.ForStatement["iterable"] | undefined;
    const m = tokenAt(hch.MapName);
    if (m) iterable = this.mapRef(m);
    else {
      const [a, b] = nodesOf(hch.primary);
      const start = a && this.primary(a);
      const end = b && this.primary(b);
      if (start && end) iterable = { type: "RangeExpression", start, end, range: this.span(start.range, end.range) };
    }
    if (!iterable) return undefined;
    const body = this.block(blockNode);
    return {
      type: "ForStatement",
      variable: this.variable(v),
      iterable,
      parenthesized: !!tokenAt(ch.LParen),
      body,
      range: this.spanFromToken(kw, body.range),
    };
  }

  private condition(ch: Children): A.Condition | undefined {
    const open = tokenAt(ch.LParen);
    const exprNode = nodeAt(ch.expression) ?? nodeAt(ch.unary);
    if (!exprNode) return undefined;
    const expression = exprNode.name === "unary" ? this.unary(exprNode) : this.expression(exprNode);
    if (!expression) return undefined;
    const close = tokenAt(ch.RParen);
    const range = open
      ? this.spanFromToken(open, close && this.validToken(close) ? this.tokenRange(close) : expression.range)
      : expression.range;
    return { type: "Condition", expression, parenthesized: !!open, range };
  }

  private ifExpr(ch: Children): A.IfExpression | undefined {
    const kw = tokenAt(ch.If);
    const condNode = nodeAt(ch.condition);
    const blocks = nodesOf(ch.block);
    if (!kw || !condNode || blocks.length === 0) return undefined;
    const condition = this.condition(condNode.children);
    if (!condition) return undefined;
    if (tokenAt(ch.Comptime)) condition.comptime = true;
    const consequent = this.block(blocks[0]);
    let alternate: A.IfExpression["alternate"];
    const elseIf = nodeAt(ch.ifExpr);
    if (elseIf) alternate = this.ifExpr(elseIf.children);
    else if (blocks[1]) alternate = this.block(blocks[1]);
    return { type: "IfExpression", condition, consequent, alternate, range: this.spanFromToken(kw, (alternate ?? consequent).range) };
  }

  // -- expressions ------------------------------------------------------------

  expression(cst: CstNode): A.Expression | undefined {
    const ch = cst.children;
    const test = this.binary(ch);
    if (!test) return undefined;
    const tailNode = nodeAt(ch.ternaryTail);
    return tailNode ? this.ternary(test, tailNode) : test;
  }

  private ternary(test: A.Expression, tail: CstNode): A.Expression {
    const ch = tail.children;
    const [aNode, bNode] = [nodeAt(ch.expression, 0), nodeAt(ch.expression, 1)];
    if (bNode) {
      const consequent = this.expression(aNode!);
      const alternate = this.expression(bNode);
      if (!consequent || !alternate) return test;
      return { type: "TernaryExpression", test, consequent, alternate, range: this.span(test.range, alternate.range) };
    }
    if (aNode && this.validTokens(ch.Colon).length > 0) {
      const alternate = this.expression(aNode);
      if (!alternate) return test;
      return { type: "TernaryExpression", test, alternate, range: this.span(test.range, alternate.range) };
    }
    return test;
  }

  private binary(ch: Children): A.Expression | undefined {
    const operandNodes = nodesOf(ch.unary);
    if (operandNodes.length === 1) return this.unary(operandNodes[0]);
    const operands = operandNodes.map((u) => this.unary(u));
    const ops = this.validTokens(ch.BinaryOp);
    if (operands.length === 0 || operands.some((o) => !o)) return operands.find((o) => o);
    if (ops.length === 0) return operands[0];
    // Precedence climbing over the flat operand/operator list; every level is left associative.
    let pos = 0;
    const climb = (minPrec: number): A.Expression => {
      let left = operands[pos]!;
      while (pos < ops.length && pos + 1 < operands.length) {
        const op = ops[pos].image;
        const prec = BINARY_PRECEDENCE[op];
        if (prec < minPrec) break;
        pos++;
        const right = climb(prec + 1);
        left = { type: "BinaryExpression", operator: op as A.BinaryOperator, left, right, range: this.span(left.range, right.range) };
      }
      return left;
    };
    return climb(0);
  }

  unary(cst: CstNode): A.Expression | undefined {
    const ch = cst.children;
    const primaryNode = nodeAt(ch.primary);
    let expr = primaryNode && this.primary(primaryNode);
    if (!expr) return undefined;
    if (!ch.PrefixOp && !ch.PlusPlus && !ch.MinusMinus && !ch.Dot && !ch.Arrow && !ch.LBracket) return expr;
    const primaryStart = expr.range.start.offset;
    const ops = this.tokensInOrder(ch.PrefixOp, ch.PlusPlus, ch.MinusMinus, ch.Dot, ch.Arrow, ch.LBracket);
    // ops[0, firstPostfix) come before the primary, the rest after it
    let firstPostfix = 0;
    while (firstPostfix < ops.length && ops[firstPostfix].startOffset < primaryStart) firstPostfix++;
    if (firstPostfix < ops.length) expr = this.applyPostfix(ch, expr, ops, firstPostfix);
    for (let i = firstPostfix - 1; i >= 0; i--) {
      const op = ops[i];
      const range = this.spanFromToken(op, expr.range);
      if (op.tokenType === T.PlusPlus || op.tokenType === T.MinusMinus) {
        if (!isAssignable(expr)) this.error(range, "increment/decrement requires a variable or map");
        expr = { type: "UpdateExpression", operator: op.image as "++" | "--", prefix: true, operand: expr, range };
      } else {
        if (op.image === "&" && expr.type !== "Variable" && expr.type !== "MapRef") {
          this.error(range, "'&' (address-of) takes a variable or a map");
        }
        expr = { type: "UnaryExpression", operator: op.image as A.UnaryOperator, operand: expr, range };
      }
    }
    return expr;
  }

  /** Applies the postfix operators `ops[from…]` to `primary`, left to right. */
  private applyPostfix(ch: Children, primary: A.Expression, ops: readonly IToken[], from: number): A.Expression {
    let expr = primary;
    const names = this.validTokens(ch.Name);
    const ints = this.validTokens(ch.Integer);
    const indexes = nodesOf(ch.expression);
    const closers = this.validTokens(ch.RBracket);
    let nameI = 0;
    let intI = 0;
    let idxI = 0;
    for (let i = from; i < ops.length; i++) {
      const op = ops[i];
      if (op.tokenType === T.Dot || op.tokenType === T.Arrow) {
        const name = names[nameI];
        const int = ints[intI];
        const nextName = name && name.startOffset > op.startOffset ? name : undefined;
        const nextInt = int && int.startOffset > op.startOffset ? int : undefined;
        const useInt = op.tokenType === T.Dot && nextInt && (!nextName || nextInt.startOffset < nextName.startOffset);
        if (useInt) {
          intI++;
          const index = this.integer(nextInt!);
          expr = { type: "TupleIndex", object: expr, index, range: this.span(expr.range, index.range) };
        } else if (nextName) {
          nameI++;
          const field = this.identifier(nextName);
          expr = { type: "FieldAccess", object: expr, field, arrow: op.tokenType === T.Arrow, range: this.span(expr.range, field.range) };
        } else return expr;
      } else if (op.tokenType === T.LBracket) {
        const idx = indexes[idxI++];
        const index = idx && this.expression(idx);
        if (!index) return expr;
        const close = closers.find((c) => c.startOffset >= index.range.end.offset);
        expr = { type: "IndexExpression", object: expr, index, range: close ? this.spanToToken(expr.range, close) : this.span(expr.range, index.range) };
      } else {
        const range = this.spanToToken(expr.range, op);
        if (!isAssignable(expr)) this.error(range, "increment/decrement requires a variable or map");
        expr = { type: "UpdateExpression", operator: op.image as "++" | "--", prefix: false, operand: expr, range };
      }
    }
    return expr;
  }

  primary(cst: CstNode): A.Expression | undefined {
    const ch = cst.children;
    // A primary holds exactly one alternative; its first child says which.
    const kind = firstKey(ch);
    let t: IToken | undefined;
    switch (kind) {
      case "Identifier":
      case "Config":
      case "Macro":
      case "Fn":
        return this.callOrName(ch);
      case "MapName":
        return this.mapExpr(ch);
      case "Variable":
        return this.variable(tokenAt(ch.Variable)!);
      case "Integer":
        return this.integer(tokenAt(ch.Integer)!);
      case "StringLit":
        return this.stringLiteral(tokenAt(ch.StringLit)!);
      case "Positional": {
        t = tokenAt(ch.Positional)!;
        const index = Number(t.image.slice(1));
        if (index < 1 || !Number.isSafeInteger(index)) this.error(this.tokenRange(t), `param ${t.image} is out of integer range [1, 9223372036854775807]`, "literal");
        return { type: "PositionalParam", index, range: this.tokenRange(t) };
      }
      case "ParamCount":
        return { type: "ParamCount", range: this.tokenRange(tokenAt(ch.ParamCount)!) };
      case "True":
      case "False":
        t = tokenAt(kind === "True" ? ch.True : ch.False)!;
        return { type: "BooleanLiteral", value: kind === "True", range: this.tokenRange(t) };
      case "Comptime": {
        t = tokenAt(ch.Comptime)!;
        const operandNode = nodeAt(ch.unary);
        const operand = operandNode && this.unary(operandNode);
        if (!operand) return undefined;
        return { type: "ComptimeExpression", operand, range: this.spanFromToken(t, operand.range) };
      }
      case "parenExpr":
        return this.parenExpr(nodeAt(ch.parenExpr)!.children);
      case "ifExpr":
        return this.ifExpr(nodeAt(ch.ifExpr)!.children);
      case "block":
        return this.block(nodeAt(ch.block)!);
      case "sizeofExpr":
        return this.typeQuery(nodeAt(ch.sizeofExpr)!.children, "Sizeof");
      case "typeinfoExpr":
        return this.typeQuery(nodeAt(ch.typeinfoExpr)!.children, "Typeinfo");
      case "offsetofExpr":
        return this.typeQuery(nodeAt(ch.offsetofExpr)!.children, "Offsetof");
      default:
        return undefined;
    }
  }

  private callOrName(ch: Children): A.Expression | undefined {
    const nameTok = tokenAt(ch.Identifier) ?? tokenAt(ch.Config) ?? tokenAt(ch.Macro) ?? tokenAt(ch.Fn);
    if (!nameTok) return undefined;
    const open = tokenAt(ch.LParen);
    if (!open) {
      const range = this.tokenRange(nameTok);
      return isParserBuiltinName(nameTok.image) ? { type: "Builtin", name: nameTok.image, range } : { type: "Identifier", name: nameTok.image, range };
    }
    const args: A.Call["args"] = [];
    const argNodes = nodesOf(ch.callArg);
    for (let i = 0; i < argNodes.length; i++) {
      const a = argNodes[i];
      const typeofNode = nodeAt(a.children.typeofType);
      const exprNode = nodeAt(a.children.expression);
      const arg = typeofNode ? this.typeofType(typeofNode.children) : exprNode ? this.expression(exprNode) : undefined;
      if (arg) args.push(arg);
    }
    const close = tokenAt(ch.RParen);
    const callee = this.identifier(nameTok);
    return { type: "Call", callee, args: packed(args), range: close && this.validToken(close) ? this.spanToToken(callee.range, close) : this.span(callee.range, args.at(-1)?.range ?? callee.range) };
  }

  private mapExpr(ch: Children): A.Expression | undefined {
    const m = tokenAt(ch.MapName);
    if (!m) return undefined;
    const map = this.mapRef(m);
    if (!tokenAt(ch.LBracket)) return map;
    const keys: A.Expression[] = [];
    const keyNodes = nodesOf(ch.expression);
    for (let i = 0; i < keyNodes.length; i++) {
      const key = this.expression(keyNodes[i]);
      if (key) keys.push(key);
    }
    const close = tokenAt(ch.RBracket);
    return { type: "MapAccess", map, keys: packed(keys), range: close && this.validToken(close) ? this.spanToToken(map.range, close) : this.span(map.range, keys.at(-1)?.range ?? map.range) };
  }

  private parenExpr(ch: Children): A.Expression | undefined {
    const open = tokenAt(ch.LParen);
    const close = tokenAt(ch.RParen);
    if (!open) return undefined;
    const typeNode = nodeAt(ch.typeRef);
    const operandNode = nodeAt(ch.unary);
    if (typeNode && operandNode) {
      const typeRef = this.typeRef(typeNode);
      const operand = this.unary(operandNode);
      if (!typeRef || !operand) return undefined;
      return { type: "Cast", typeRef, operand, range: this.spanFromToken(open, operand.range) };
    }
    const range = this.spanFromToken(open, close && this.validToken(close) ? this.tokenRange(close) : this.tokenRange(open));
    const fieldNodes = nodesOf(ch.recordField);
    if (fieldNodes.length > 0) {
      const fields: A.RecordField[] = [];
      const seen = new Set<string>();
      for (const f of fieldNodes) {
        const nameTok = tokenAt(f.children.Name);
        const valueNode = nodeAt(f.children.expression);
        const value = valueNode && this.expression(valueNode);
        if (!nameTok || !value) continue;
        const name = this.identifier(nameTok);
        if (seen.has(name.name)) this.error(name.range, `duplicate record field '${name.name}'`);
        seen.add(name.name);
        fields.push({ type: "RecordField", name, value, range: this.span(name.range, value.range) });
      }
      if (this.validTokens(ch.Comma).length >= fields.length) this.error(range, "unexpected ',' at the end of a record");
      return { type: "RecordExpression", fields: packed(fields), range };
    }
    const exprNodes = nodesOf(ch.expression);
    const elements: A.Expression[] = [];
    for (let i = 0; i < exprNodes.length; i++) {
      const element = this.expression(exprNodes[i]);
      if (element) elements.push(element);
    }
    const commas = this.validTokens(ch.Comma);
    if (elements.length === 0) return { type: "TupleExpression", elements, trailingComma: false, range };
    if (commas.length === 0) return { type: "Parenthesized", expression: elements[0], range };
    if (commas.length > elements.length) this.error(this.tokenRange(commas.at(-1)!), "expected expression, found ','");
    for (let i = 1; i < commas.length; i++) {
      if (!elements.some((e) => e.range.start.offset > commas[i - 1].startOffset && e.range.start.offset < commas[i].startOffset)) {
        this.error(this.tokenRange(commas[i]), "expected expression, found ','");
      }
    }
    return { type: "TupleExpression", elements: packed(elements), trailingComma: commas.length >= elements.length, range };
  }

  private typeQuery(ch: Children, kw: "Sizeof" | "Typeinfo" | "Offsetof"): A.Expression | undefined {
    const kwTok = tokenAt(kw === "Sizeof" ? ch.Sizeof : kw === "Typeinfo" ? ch.Typeinfo : ch.Offsetof);
    const argNode = nodeAt(ch.typeOrExpr);
    if (!kwTok || !argNode) return undefined;
    const argument = this.typeOrExpr(argNode.children);
    if (!argument) return undefined;
    const close = tokenAt(ch.RParen);
    const range = this.spanFromToken(kwTok, close && this.validToken(close) ? this.tokenRange(close) : argument.range);
    if (kw === "Sizeof") return { type: "SizeofExpression", argument, range };
    if (kw === "Typeinfo") return { type: "TypeinfoExpression", argument, range };
    const fields = this.validTokens(ch.Name).map((t) => this.identifier(t));
    return { type: "OffsetofExpression", argument, fields, range };
  }

  private typeOrExpr(ch: Children): A.TypeRef | A.Expression | undefined {
    const typeNode = nodeAt(ch.typeRef);
    if (typeNode) return this.typeRef(typeNode);
    const exprNode = nodeAt(ch.expression);
    return exprNode && this.expression(exprNode);
  }

  // -- types ------------------------------------------------------------------

  typeRef(cst: CstNode): A.TypeRef | undefined {
    const ch = cst.children;
    const typeofNode = nodeAt(ch.typeofType);
    if (typeofNode) return this.typeofType(typeofNode.children);
    const nameTok = tokenAt(ch.Name);
    if (!nameTok) return undefined;
    const tagTok = tokenAt(ch.Struct) ?? tokenAt(ch.Union) ?? tokenAt(ch.Enum);
    const suffixTokens = this.tokensInOrder(ch.Star, ch.LBracket);
    const ints = this.validTokens(ch.Integer);
    const closers = this.validTokens(ch.RBracket);
    const suffixes: A.TypeSuffix[] = [];
    let last = this.tokenRange(nameTok);
    for (let i = 0; i < suffixTokens.length; i++) {
      const s = suffixTokens[i];
      if (s.tokenType === T.Star) {
        suffixes.push({ kind: "pointer" });
        last = this.tokenRange(s);
      } else {
        const close = closers.find((c) => c.startOffset > s.startOffset);
        const int = ints.find((i) => i.startOffset > s.startOffset && (!close || i.startOffset < close.startOffset));
        suffixes.push(int ? { kind: "array", size: Number(integerValue(int.image).value ?? 0) } : { kind: "array" });
        if (close) last = this.tokenRange(close);
      }
    }
    const first = tagTok ? this.tokenRange(tagTok) : this.tokenRange(nameTok);
    return {
      type: "NamedType",
      tag: tagTok ? (tagTok.image as A.NamedType["tag"]) : undefined,
      name: nameTok.image,
      suffixes: packed(suffixes),
      range: this.span(first, last),
    };
  }

  private typeofType(ch: Children): A.TypeofType | undefined {
    const kw = tokenAt(ch.Typeof);
    const argNode = nodeAt(ch.typeOrExpr);
    if (!kw || !argNode) return undefined;
    const argument = this.typeOrExpr(argNode.children);
    if (!argument) return undefined;
    const close = tokenAt(ch.RParen);
    return { type: "TypeofType", argument, range: this.spanFromToken(kw, close && this.validToken(close) ? this.tokenRange(close) : argument.range) };
  }

  // -- leaves -----------------------------------------------------------------

  identifier(t: IToken): A.Identifier {
    return { type: "Identifier", name: t.image, range: this.tokenRange(t) };
  }

  variable(t: IToken): A.Variable {
    return { type: "Variable", name: t.image, range: this.tokenRange(t) };
  }

  mapRef(t: IToken): A.MapRef {
    return { type: "MapRef", name: t.image, range: this.tokenRange(t) };
  }

  integer(t: IToken): A.IntegerLiteral {
    const range = this.tokenRange(t);
    const result = integerValue(t.image);
    if (result.error) this.error(range, result.error, "literal");
    return { type: "IntegerLiteral", raw: t.image, value: result.value, suffix: result.suffix, range };
  }

  stringLiteral(t: IToken): A.StringLiteral {
    const range = this.tokenRange(t);
    const result = stringValue(t.image);
    if (result.error) this.error(range, result.error, "literal");
    return { type: "StringLiteral", raw: t.image, value: result.value, range };
  }
}

/** Whether a statement must be followed by `;` when another statement comes after it. */
function needsSemicolon(st: A.Statement): boolean {
  switch (st.type) {
    case "WhileStatement":
    case "UnrollStatement":
    case "ForStatement":
      return false;
    case "ExpressionStatement":
      return !st.semicolon && st.expression.type !== "IfExpression" && st.expression.type !== "Block";
    default:
      return true;
  }
}

function firstKey(children: Children): string | undefined {
  for (const key in children) return key;
  return undefined;
}

function isAssignable(e: A.Expression): boolean {
  return e.type === "Variable" || e.type === "MapRef" || e.type === "MapAccess";
}
