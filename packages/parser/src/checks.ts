import type * as A from "./ast.ts";
import syntaxData from "../../../grammar/data/syntax.json" with { type: "json" };
import { compareReleases, type Release } from "./versions.ts";
import { walk } from "./visitor-keys.ts";
import { checkAttachPoint } from "./attach-point-checks.ts";
import { NameChecker } from "./name-checks.ts";
import { typeAvailable } from "./language/index.ts";
import { isDurationSuffix } from "./literals.ts";

export interface SyntaxFeature {
  id: string;
  what: string;
  since?: string;
  deprecated?: string;
  removed?: string;
  hint?: string;
  plural?: boolean;
  /** `semantic`: bpftrace's parser accepts it everywhere; only later stages (and bt-lint) reject it. */
  stage?: "semantic";
}

export const syntaxFeatures: ReadonlyMap<string, SyntaxFeature> = new Map(
  (syntaxData.features as SyntaxFeature[]).map((f) => [f.id, f]),
);

/** Reports release-dependent problems: syntax the target lacks, has removed or deprecates. */
export class ReleaseChecker {
  readonly diagnostics: A.Diagnostic[] = [];
  private readonly messages: FeatureMessages;
  /** `withPid`: the program runs with `-p PID` (attach-point forms that need it are valid). */
  constructor(
    readonly target: Release,
    readonly withPid = false,
  ) {
    this.messages = messagesFor(target);
  }

  /** Records a use of the syntax feature `id` at `range`. */
  use(id: string, range: A.Range): void {
    const message = this.messages.get(id);
    if (message === undefined) throw new Error(`unknown syntax feature ${id}`);
    if (message) this.diagnostics.push({ severity: message.severity, message: message.message, range, code: "version" });
  }

  error(range: A.Range, message: string, code: A.Diagnostic["code"] = "version"): void {
    this.diagnostics.push({ severity: "error", message, range, code });
  }

  warning(range: A.Range, message: string, code: A.Diagnostic["code"] = "version"): void {
    this.diagnostics.push({ severity: "warning", message, range, code });
  }
}

type FeatureMessages = Map<string, { severity: A.Severity; message: string } | null>;
const messagesByTarget = new Map<string, FeatureMessages>();

/** Each feature's message for `target` (null when the target has it as is), computed once per release. */
function messagesFor(target: string): FeatureMessages {
  let messages = messagesByTarget.get(target);
  if (!messages) {
    messages = new Map();
    for (const f of syntaxFeatures.values()) {
      const parseLevel = f.stage !== "semantic" || f.deprecated !== undefined;
      messages.set(f.id, (parseLevel && featureMessage(f, target)) || null);
    }
    messagesByTarget.set(target, messages);
  }
  return messages;
}

/** The message for using `f` in `target`, or undefined when the target has it as is. */
export function featureMessage(f: SyntaxFeature, target: string): { severity: A.Severity; message: string } | undefined {
  const hint = f.hint ? ` (${f.hint})` : "";
  if (f.since && compareReleases(target, f.since) < 0) {
    return { severity: "error", message: `${f.what} ${f.plural ? "need" : "needs"} bpftrace ≥ ${f.since}; target is ${target}${hint}` };
  }
  if (f.removed && compareReleases(target, f.removed) >= 0) {
    return { severity: "error", message: `${f.what} ${f.plural ? "were" : "was"} removed in bpftrace ${f.removed}; target is ${target}${hint}` };
  }
  if (f.deprecated && compareReleases(target, f.deprecated) >= 0) {
    return { severity: "warning", message: `${f.what} ${f.plural ? "are" : "is"} deprecated since bpftrace ${f.deprecated}${hint}` };
  }
  return undefined;
}

const KEYWORDS = new Set([
  "if", "else", "while", "for", "unroll", "break", "continue", "return", "let", "sizeof", "offsetof", "typeof",
  "typeinfo", "comptime", "true", "false", "import", "struct", "union", "enum", "config", "macro", "fn",
]);

/** Sized type names that older lexers turned into type tokens everywhere. */
const TYPE_NAME_FIELDS = new Set(["string", "buffer", "inet"]);

const STATEMENT_PARENTS = new Set<A.Node["type"]>(["ExpressionStatement", "IfExpression"]);

interface CheckContext {
  c: ReleaseChecker;
  names: NameChecker;
  text: string;
}

type NodeCheck<K extends A.Node["type"]> = (node: Extract<A.Node, { type: K }>, parent: A.Node | undefined, ctx: CheckContext) => void;

/** The check of each node type that has one; a table, so a node costs one lookup rather than a walk down a switch. */
const nodeChecks: { [K in A.Node["type"]]?: NodeCheck<K> } = {
  ConfigBlock: (node, _, { c, text }) => checkConfigBlock(node, c, text),
  Import: (node, parent, { c }) => c.use(parent?.type === "Program" ? "root-import" : "statement-import", node.range),
  MacroDef: (node, _, { c }) => c.use("macro", node.range),
  MapDecl: (node, _, { c }) => c.use("map-declaration", node.range),
  CDefinition: (node, _, { c }) => {
    const body = node.text.indexOf("{");
    if (/\}[\s\S]*__attribute__/.test(node.text)) c.use("c-attribute", node.range);
    if (node.text.slice(0, body).includes("__attribute__")) c.use("c-attribute-before-body", node.range);
    if (/\/\/[^\n]*[{}]|\/\*[^]*?[{}][^]*?\*\//.test(node.text)) c.use("c-comment-brace", node.range);
  },
  Cast: (node, _, { c }) => checkCastType(node.typeRef, c),
  IndexExpression: (node, _, { c }) => {
    if (node.object.type === "Parenthesized") c.use("index-parenthesized", node.range);
  },
  FnDef: (node, _, { c }) => {
    c.use("fn", node.range);
    checkFnTypes(node, c);
  },
  LetStatement: (node, _, { c }) => c.use("let", node.range),
  ForStatement: (node, _, { c }) => {
    c.use(node.iterable.type === "MapRef" ? "for-map" : "for-range", node.range);
    if (!node.parenthesized) c.use("unparenthesized-condition", node.variable.range);
  },
  WhileStatement: (node, _, { c }) => c.use("while", node.range),
  Condition: (node, _, { c }) => {
    if (!node.parenthesized) c.use("unparenthesized-condition", node.range);
    if (node.comptime) c.use("comptime", node.range);
  },
  IfExpression: (node, parent, { c }) => {
    if (parent && !STATEMENT_PARENTS.has(parent.type)) c.use("if-expression", node.range);
  },
  Block: (node, parent, { c }) => {
    if (parent && isExpressionParent(parent)) c.use("block-expression", node.range);
  },
  ExpressionStatement: (node, _, { c }) => {
    if (node.expression.type === "Block") c.use("bare-block", node.expression.range);
    if (node.expression.type === "TernaryExpression" && startsWithSigil(node.expression)) c.use("sigil-ternary-statement", node.range);
  },
  BooleanLiteral: (node, _, { c }) => c.use("boolean-literal", node.range),
  IntegerLiteral: (node, _, { c }) => {
    if (isDurationSuffix(node.suffix)) c.use("duration-literal", node.range);
  },
  RecordExpression: (node, _, { c }) => c.use("record", node.range),
  TupleExpression: (node, _, { c }) => {
    if (node.elements.length === 0) c.use("empty-tuple", node.range);
    else if (node.elements.length === 1) c.use("single-tuple", node.range);
    else if (node.trailingComma) c.use("tuple-trailing-comma", node.range);
  },
  TypeofType: (node, _, { c }) => c.use("typeof", node.range),
  TypeinfoExpression: (node, _, { c }) => c.use("typeinfo", node.range),
  ComptimeExpression: (node, _, { c }) => c.use("comptime", node.range),
  DiscardStatement: (node, _, { c }) => c.use("discard", node.range),
  TernaryExpression: (node, _, { c }) => {
    if (!node.consequent) c.use("short-ternary", node.range);
  },
  UnaryExpression: (node, _, { c }) => {
    if (node.operator === "&") c.use("address-of", node.range);
  },
  NamedType: (node, _, { c }) => {
    if (node.suffixes.some((sfx, i) => sfx.kind === "array" && node.suffixes.slice(0, i).some((p) => p.kind === "pointer"))) {
      c.use("pointer-array-type", node.range);
    }
  },
  OffsetofExpression: (node, _, { c }) => {
    c.use("offsetof", node.range);
    if (node.fields.length > 1) c.use("offsetof-subfield", node.range);
  },
  SizeofExpression: (node, _, { c }) => {
    if (node.argument.type === "NamedType") c.use("sizeof-type", node.range);
  },
  FieldAccess: (node, _, { c }) => {
    const target = c.target;
    if (KEYWORDS.has(node.field.name)) c.use("keyword-field", node.field.range);
    else if (TYPE_NAME_FIELDS.has(node.field.name) && compareReleases(target, "0.22") >= 0 && compareReleases(target, "0.24") < 0) {
      c.error(node.field.range, `\`${node.field.name}\` is a type name in bpftrace 0.22 and 0.23 and cannot be a field name there; target is ${target}`);
    }
  },
  Probe: (node, _, { c }) => {
    for (const ap of node.attachPoints) checkAttachPoint(ap, node, c);
  },
  Call: (node, _, { names }) => names.call(node),
  ConfigItem: (node, _, { names }) => names.configItem(node),
};

/**
 * Release-dependent checks made at bpftrace's parse level. `syntaxOnly`: only the order of the
 * top-level sections (the one check whose errors are syntax errors).
 */
export function checkProgram(ast: A.Program, target: Release, text: string, withPid = false, syntaxOnly = false): A.Diagnostic[] {
  const c = new ReleaseChecker(target, withPid);
  checkSectionOrder(ast, c);
  if (syntaxOnly) return c.diagnostics;
  const ctx: CheckContext = { c, names: new NameChecker(ast, c), text };
  if (!ast.body.some((item) => item.type === "Probe" || item.type === "FnDef" || item.type === "MacroDef")) c.use("empty-program", ast.range);
  walk(ast, (node, parent) => {
    const check = nodeChecks[node.type] as NodeCheck<A.Node["type"]> | undefined;
    if (check !== undefined) check(node as never, parent, ctx);
  });
  return c.diagnostics;
}

/** Whether an expression's first token is a `$variable` or an `@map`. */
function startsWithSigil(e: A.Expression): boolean {
  let cur: A.Expression = e;
  for (;;) {
    switch (cur.type) {
      case "TernaryExpression":
        cur = cur.test;
        break;
      case "BinaryExpression":
        cur = cur.left;
        break;
      case "FieldAccess":
      case "TupleIndex":
      case "IndexExpression":
        cur = cur.object;
        break;
      case "MapAccess":
        return true;
      case "UpdateExpression":
        if (cur.prefix) return false;
        cur = cur.operand;
        break;
      default:
        return cur.type === "Variable" || cur.type === "MapRef";
    }
  }
}

function checkCastType(t: A.TypeRef, c: ReleaseChecker): void {
  if (t.type !== "NamedType") return;
  if (t.tag) return;
  if (t.suffixes.some((s) => s.kind === "array")) c.use("cast-to-array", t.range);
  if (t.suffixes.filter((s) => s.kind === "pointer").length > 2) c.use("cast-multi-pointer", t.range);
}

/** Before 0.24, `fn` parameter and return types had to be builtin, integer or struct types. */
function checkFnTypes(fn: A.FnDef, c: ReleaseChecker): void {
  if (compareReleases(c.target, "0.24") >= 0) return;
  for (const t of [...fn.params.map((p) => p.typeRef), fn.returnType]) {
    if (t.type === "NamedType" && !t.tag && !typeAvailable(t.name, c.target)) {
      c.error(t.range, `unknown type \`${t.name}\`: bpftrace ${c.target} takes only builtin, integer and struct types here`);
    }
  }
}

/** Whether a block under `parent` is used as a value, rather than as a statement or a body. */
function isExpressionParent(parent: A.Node): boolean {
  switch (parent.type) {
    case "ExpressionStatement":
    case "Probe":
    case "MacroDef":
    case "FnDef":
    case "WhileStatement":
    case "UnrollStatement":
    case "ForStatement":
    case "IfExpression":
      return false;
    default:
      return true;
  }
}

/**
 * The section of the program a top-level item belongs to: 1 C definitions, 2 config and imports,
 * 3 probes and functions. bpftrace wants them in this order (grammar reference §3).
 */
export function topLevelSection(item: A.TopLevel): 1 | 2 | 3 {
  if (item.type === "CPreprocessor" || item.type === "CDefinition") return 1;
  return item.type === "ConfigBlock" || item.type === "Import" ? 2 : 3;
}

function checkSectionOrder(ast: A.Program, c: ReleaseChecker): void {
  let section = 1;
  let configs = 0;
  for (const item of ast.body) {
    const own = topLevelSection(item);
    if (own === 1) {
      if (section > 1) c.error(item.range, "C definitions must appear before probes and functions", "syntax");
    } else if (own === 2) {
      if (item.type === "ConfigBlock" && ++configs > 1) c.error(item.range, "duplicate config block", "syntax");
      if (section > 2) {
        c.error(item.range, item.type === "ConfigBlock" ? "config must appear before probes and functions" : "root imports must appear before probes and functions", "syntax");
      }
      section = Math.max(section, 2);
    } else {
      section = 3;
    }
  }
}

function checkConfigBlock(node: A.ConfigBlock, c: ReleaseChecker, text: string): void {
  c.use("config-block", node.range);
  if (node.items.length === 0) c.use("config-empty", node.range);
  else {
    // Only layout, comments, `;` and the `}` follow the last item; a `;` inside a comment does not count.
    const tail = text.slice(node.items.at(-1)!.range.end.offset, node.range.end.offset).replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, "");
    if (tail.includes(";")) c.use("config-trailing-semicolon", node.range);
  }
  for (const item of node.items) {
    const v = item.value;
    const literal = v.type === "IntegerLiteral" || v.type === "StringLiteral" || v.type === "BooleanLiteral" || v.type === "Identifier";
    if (!literal) c.use("config-expression-value", v.range);
  }
}

