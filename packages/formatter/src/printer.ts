/**
 * The Prettier printer for the bpftrace AST. Layout follows `bpftrace --fmt`
 * (2-space indent, one attach point per line, predicate and `{` on their own
 * lines for probes, K&R braces inside blocks) with Prettier's line fitting.
 * Nothing is added or removed that changes the AST: parentheses, literal
 * spellings, `->` and optional parentheses are printed as written.
 */
import type { AstPath, Doc, ParserOptions, Printer } from "prettier";
import { builders, printer as docPrinter } from "prettier/doc";
import { childNodes } from "@bt/parser";
import type * as A from "@bt/parser";
import {
  canAttachComment,
  getVisitorKeys,
  handleComments,
  hasIgnoreComment,
  hasPrettierIgnore,
  isBlockComment,
  markerOf,
  printComment,
  printWithComments,
  type AttachedComment,
  type CommentMarker,
} from "./comments.ts";
import type { PreformattedProgram } from "./parser.ts";
import { isNextLineEmpty } from "./text.ts";

const { align, breakParent, fill, group, hardline, hardlineWithoutBreakParent, indent, join, line, softline } = builders;

type Options = ParserOptions<A.Node>;
type Print = (selector?: string | number | (string | number)[]) => Doc;
type Path<T extends A.Node = A.Node> = AstPath<T>;

const PRECEDENCE: Record<A.BinaryOperator, number> = {
  "||": 1,
  "&&": 2,
  "|": 3,
  "^": 4,
  "&": 5,
  "==": 6,
  "!=": 6,
  "<": 7,
  ">": 7,
  "<=": 7,
  ">=": 7,
  "<<": 8,
  ">>": 8,
  "+": 9,
  "-": 9,
  "*": 10,
  "/": 10,
  "%": 10,
};

const hasComments = (node: A.Node) => Boolean((node as { comments?: unknown[] }).comments?.length);

/** Statements that end with `;` when printed inside a block. */
function semicolonOf(node: A.Node): string {
  switch (node.type) {
    case "ExpressionStatement":
      return node.semicolon ? ";" : "";
    case "Assignment":
    case "LetStatement":
    case "DiscardStatement":
    case "BreakStatement":
    case "ContinueStatement":
    case "ReturnStatement":
    case "Import":
    case "MapDecl":
      return ";";
    default:
      return "";
  }
}

/** Dangling comments of the current node (those Prettier attached to neither side). */
function printDangling(path: Path, options: Options, separator: Doc = hardline): Doc[] {
  const out: Doc[] = [];
  const node = path.node as { comments?: AttachedComment[] };
  if (!node.comments) return out;
  let previous: AttachedComment | undefined;
  path.each((p) => {
    const c = p.node as unknown as AttachedComment;
    if (c.leading || c.trailing || c.printed || markerOf(c)) return;
    if (previous) {
      out.push(separator);
      if (separator === hardline && isNextLineEmpty(options.originalText, previous.range.end.offset)) out.push(hardline);
    }
    out.push(printComment(p as unknown as AstPath<A.Comment>));
    c.printed = true;
    previous = c;
  }, "comments");
  if (previous && previous.kind === "line" && separator !== hardline) out.push(breakParent, hardline);
  return out;
}

/**
 * The comments the handlers put at `marker` (see comments.ts), each followed by a space, or by a
 * line break after a line comment: `} /* c *\/ else`, `} // c⏎else`.
 */
function printMarked(path: Path, marker: CommentMarker): Doc[] {
  const out: Doc[] = [];
  if (!(path.node as { comments?: AttachedComment[] }).comments) return out;
  path.each((p) => {
    const c = p.node as unknown as AttachedComment;
    if (c.printed || markerOf(c) !== marker) return;
    out.push(printComment(p as unknown as AstPath<A.Comment>), c.kind === "line" ? hardline : " ");
    c.printed = true;
  }, "comments");
  return out;
}

/**
 * The comments at `marker`, each after a space, as trailing line comments are printed (at the end
 * of the line); one after a line comment starts the next line.
 */
function printTrailingMarked(path: Path, marker: CommentMarker): Doc[] {
  const out: Doc[] = [];
  if (!(path.node as { comments?: AttachedComment[] }).comments) return out;
  let afterLine = false;
  path.each((p) => {
    const c = p.node as unknown as AttachedComment;
    if (c.printed || markerOf(c) !== marker) return;
    out.push(afterLine ? hardline : " ", printComment(p as unknown as AstPath<A.Comment>), c.kind === "line" ? breakParent : "");
    afterLine = c.kind === "line";
    c.printed = true;
  }, "comments");
  return out;
}

/** A line comment trails `node` (printed at the end of its line): the `{` of a header then starts the next line. */
function endsWithLineComment(node: A.Node | undefined): boolean {
  return Boolean((node as { comments?: AttachedComment[] } | undefined)?.comments?.some((c) => c.trailing && c.kind === "line"));
}

/** Space before a K&R body, or a line break when the header ends in a line comment. */
function beforeBody(header: A.Node | undefined): Doc {
  return endsWithLineComment(header) ? hardline : " ";
}

/**
 * A comment (of `kind`, if given) leads the expression: `/` must not touch it (`/ /* c *\/ pid`,
 * never `//* c *\/`), and a line comment stays on the operator's line (`a + // c⏎b`).
 */
function startsWithComment(node: A.Node, kind?: A.Comment["kind"]): boolean {
  for (let n: A.Node | undefined = node; n; ) {
    if ((n as { comments?: AttachedComment[] }).comments?.some((c) => c.leading && (!kind || c.kind === kind))) return true;
    n = (LEFTMOST_CHILD[n.type] ? (n as unknown as Record<string, A.Node | undefined>)[LEFTMOST_CHILD[n.type]!] : undefined);
  }
  return false;
}

/** The child a printed expression starts with. */
const LEFTMOST_CHILD: Partial<Record<A.Node["type"], string>> = {
  BinaryExpression: "left",
  TernaryExpression: "test",
  FieldAccess: "object",
  TupleIndex: "object",
  IndexExpression: "object",
  MapAccess: "map",
  Call: "callee",
  RangeExpression: "start",
};

/**
 * Children of a body (program items, block statements) with blank lines kept, at most one, then
 * `extraLast` (a block's result); each as its one-line text where that fits (flatOr).
 */
function printSequence(path: Path, options: Options, print: Print, key: string, extraLast?: Doc): Doc[] {
  const parts: Doc[] = [];
  const text = options.originalText;
  const items = (path.node as unknown as Record<string, A.Node[]>)[key];
  const indentation = bodyIndentation(path, options);
  (path as unknown as AstPath<Record<string, A.Node[]>>).each((_, i) => {
    const child = items[i];
    // printed here without comments, as `child` prints a node
    let printed = hasComments(child) ? print() : printNode(path, child, options, print);
    if (hasIgnoreComment(child)) {
      const semi = semicolonOf(child);
      const source = text.slice(child.range.start.offset, child.range.end.offset).trimEnd();
      if (semi && !source.endsWith(semi)) printed = [printed, semi];
    } else if (indentation !== undefined) {
      printed = flatOr(printed, options.printWidth - indentation);
    }
    parts.push(printed);
    if (i < items.length - 1 || extraLast !== undefined) {
      parts.push(hardline);
      if (isNextLineEmpty(text, child.range.end.offset)) parts.push(hardline);
    }
  }, key);
  if (extraLast !== undefined) parts.push(indentation === undefined ? extraLast : flatOr(extraLast, options.printWidth - indentation));
  return parts;
}

/**
 * Columns of indentation of the items of the body at `path` (a program, a config block, a block
 * printed as a body), or of the line of the statement or header at `path`, when every body
 * around it is printed one item per line below the one before (a probe's, a definition's, a
 * loop's or an `if`'s block); undefined inside an expression (a block used as a value), whose
 * items' column depends on the text before them.
 */
function bodyIndentation(path: Path, options: Options): number | undefined {
  // the nodes from `path.node` up to the first whose levels are known (the stack holds keys,
  // nodes and lists: nodes and lists at odd distances from its end)
  const stack = path.stack as unknown[];
  const unknown: A.Node[] = [];
  let known: number | null | undefined;
  let knownNode: A.Node | undefined;
  for (let i = stack.length - 1; i >= 0; i -= 2) {
    const value = stack[i];
    if (Array.isArray(value)) continue;
    const node = value as A.Node;
    known = bodyLevels.get(node);
    if (known !== undefined) {
      knownNode = node;
      break;
    }
    unknown.push(node);
  }
  // then down again, each node's levels from its parent's
  let levels = known === undefined ? 0 : known;
  for (let i = unknown.length - 1; i >= 0; i--) {
    const node = unknown[i];
    if (levels !== null) levels = ownLevels(node, i + 1 < unknown.length ? unknown[i + 1] : knownNode, levels);
    bodyLevels.set(node, levels);
  }
  return levels === null ? undefined : levels * options.tabWidth;
}

/**
 * Per node: body levels of indentation at it (null: not known, inside an expression). Worked out
 * once per node, so that a chain of thousands of `else if` does not walk its ancestors at each.
 */
const bodyLevels = new WeakMap<A.Node, number | null>();

/** Levels at `node` from `levels` at its parent (see bodyIndentation); null when not known. */
function ownLevels(node: A.Node, parent: A.Node | undefined, levels: number): number | null {
  switch (node.type) {
    case "Block":
      return parent && BODY_OWNERS.has(parent.type) ? levels + 1 : null;
    case "ConfigBlock":
      return levels + 1;
    case "Program":
    case "Probe":
    case "MacroDef":
    case "FnDef":
    case "WhileStatement":
    case "ForStatement":
    case "UnrollStatement":
    case "IfExpression":
    case "ExpressionStatement":
      return levels;
    default:
      return null;
  }
}

/** A line of text with docs Prettier keeps for the line's end (comments printed at the next line break). */
interface FlatLine {
  text: string;
  /** text before each kept doc, and the doc */
  kept: Doc[];
  /** columns of all the text */
  width: number;
}

/**
 * What Prettier prints for an item that starts a line with `width` columns left, when that is
 * one line: its groups, lines and fills flat, as one string (with any comment kept for the line's
 * end after it). Prettier then has almost nothing to measure, break or walk, where most items of
 * a program are lines that fit. Undefined when the item may print otherwise: wider than `width`
 * (counted as Prettier counts ASCII; other text is left to Prettier), or holding a line break, a
 * `line` outside a group or fill (printed as a break), a group already broken or named, or a
 * comment for the line's end inside a group (whose break-parent breaks the group).
 */
function flatLine(doc: Doc, width: number): Doc | undefined {
  const line: FlatLine = { text: "", kept: [], width: 0 };
  if (!flatten(doc, false, line, width)) return undefined;
  let printed = line.text;
  for (let i = 0; i < line.kept.length; i += 2) printed += line.kept[i] as string;
  if (NOT_PLAIN_TEXT.test(printed)) return undefined;
  return line.kept.length === 0 ? line.text : [...line.kept, line.text];
}

/** Characters whose width Prettier counts otherwise than one column, and line breaks. */
const NOT_PLAIN_TEXT = /[^\x00-\x7f]|[\n\r]/;

/**
 * Appends `doc` printed flat to `line`; false when it is not one line of at most `width` columns
 * (see flatLine). Recursive: the doc was built by recursion as deep, with larger frames.
 */
function flatten(doc: Doc, inGroup: boolean, line: FlatLine, width: number): boolean {
  if (typeof doc === "string") {
    line.text += doc;
    return (line.width += doc.length) <= width;
  }
  if (Array.isArray(doc)) {
    for (const part of doc) if (!flatten(part as Doc, inGroup, line, width)) return false;
    return true;
  }
  switch (doc.type) {
    case "group":
      return !doc.break && doc.id === undefined && !doc.expandedStates && flatten(doc.contents, true, line, width);
    case "indent":
    case "align":
      return flatten(doc.contents, inGroup, line, width);
    case "fill":
      // measured part by part against the room left, whatever its mode: flat when the whole fits
      return flatten(doc.parts, true, line, width);
    case "line":
      if (doc.hard || doc.literal || !inGroup) return false;
      if (doc.soft) return true;
      line.text += " ";
      return ++line.width <= width;
    case "line-suffix":
    case "break-parent":
      if (inGroup) return false;
      line.kept.push(line.text, doc);
      line.text = "";
      return true;
    default:
      return false;
  }
}

/** `doc` as its one-line text when flatLine gives one, else `doc`. */
function flatOr(doc: Doc, width: number): Doc {
  return flatLine(doc, width) ?? doc;
}

/** Whether a block is printed `{`, then its items on lines of their own (not `{}`). */
const hasItems = (block: A.Block) => block.statements.length > 0 || block.result !== undefined;

/**
 * The condition of an `if` or `while` as its one-line text (flatLine) when the header's line
 * fits: `if (c) {`, `} else if (c) {`, `while (c) {` at the statement's indentation. Unchanged
 * where the line holds more (a comment before the header or around `else`, an empty body, a
 * comment that moves `{` to the next line) or the indentation is not known (see bodyIndentation).
 */
function flatCondition(path: Path, options: Options, node: A.IfExpression | A.WhileStatement, condition: Doc): Doc {
  const body = node.type === "IfExpression" ? node.consequent : node.body;
  const parent = path.parent as A.Node | null;
  if (!parent || hasComments(node) || hasComments(parent) || !hasItems(body) || endsWithLineComment(node.condition)) return condition;
  let column = node.type === "IfExpression" ? "if ".length : "while ".length;
  if (parent.type === "IfExpression" && parent.alternate === node) {
    if (!hasItems(parent.consequent)) return condition;
    column += "} else ".length;
  }
  const indentation = bodyIndentation(path, options);
  if (indentation === undefined) return condition;
  return flatOr(condition, options.printWidth - indentation - column - " {".length);
}

function printProgram(path: Path<A.Program>, options: Options, print: Print): Doc {
  const node = path.node;
  // the program's items, each after a line break (or first), with the line breaks between them
  const units: Doc[] = [];
  if (node.shebang) {
    units.push(node.shebang.text.trimEnd(), hardline);
    if (isNextLineEmpty(options.originalText, node.shebang.range.end.offset)) units.push(hardline);
  }
  units.push(...printSequence(path, options, print, "body"));
  const dangling = printDangling(path, options);
  if (dangling.length > 0) units.push(node.body.length > 0 ? hardline : "", dangling);
  if (node.body.length === 0 && dangling.length === 0 && !node.shebang) return "";
  // the last hardline of a shebang-only file is already there
  if (node.body.length > 0 || dangling.length > 0) units.push(hardline);
  return programText(units, options);
}

/**
 * The program printed here rather than by Prettier, which then has one string to write. Each
 * item starts a line and ends before a line break, so it prints the same alone as among the
 * others: by printPlain when its doc is only text, line breaks and indentation (with
 * flatLine's one-line statements, most items are), otherwise by Prettier's own doc printer. Line
 * breaks are `\n` here; Prettier turns them into the `endOfLine` asked for when it writes the text.
 */
function programText(units: Doc[], options: Options): string {
  const out: string[] = [];
  const docOptions = { printWidth: options.printWidth, tabWidth: options.tabWidth, useTabs: options.useTabs, endOfLine: "lf" as const };
  for (const unit of units) {
    if (unit === hardline) {
      trimTrailingBlanks(out);
      out.push("\n");
    } else if (typeof unit === "string") {
      out.push(unit);
    } else {
      out.push(printPlain(unit, options) ?? docPrinter.printDocToString(unit, docOptions).formatted);
    }
  }
  return out.join("");
}

/** What Prettier does before each line break: blanks at the end of the line go. */
function trimTrailingBlanks(out: string[]): void {
  while (out.length > 0) {
    const last = out[out.length - 1];
    let end = last.length;
    while (end > 0 && (last.charCodeAt(end - 1) === 32 || last.charCodeAt(end - 1) === 9)) end--;
    if (end === last.length) return;
    if (end > 0) {
      out[out.length - 1] = last.slice(0, end);
      return;
    }
    out.pop();
  }
}

/**
 * `doc` printed as Prettier prints it from the start of a line, when it holds only text, arrays,
 * indentation, line breaks and comments for a line's end; undefined for anything else (a group,
 * a fill), left to Prettier. Outside any group every line is a line break.
 */
function printPlain(doc: Doc, options: Options): string | undefined {
  const out: string[] = [];
  const docs: Doc[] = [doc];
  const levels: number[] = [0];
  // comments for the line's end, printed before the next line break
  const suffixes: Doc[] = [];
  const suffixLevels: number[] = [];
  const takeSuffixes = () => {
    for (let i = suffixes.length - 1; i >= 0; i--) {
      docs.push(suffixes[i]);
      levels.push(suffixLevels[i]);
    }
    suffixes.length = 0;
    suffixLevels.length = 0;
  };
  // indentation: columns (spaces), or tabs
  const step = options.useTabs ? 1 : options.tabWidth;
  for (;;) {
    if (docs.length === 0) {
      // comments still waiting at the end of the doc are printed there
      if (suffixes.length === 0) break;
      takeSuffixes();
    }
    const d = docs.pop()!;
    const level = levels.pop()!;
    if (typeof d === "string") {
      if (d) out.push(d);
      continue;
    }
    if (Array.isArray(d)) {
      // the most common doc here, taken whole: its line, then its break-parent (nothing to print)
      if (d === hardline) {
        docs.push(hardlineWithoutBreakParent);
        levels.push(level);
        continue;
      }
      for (let i = d.length - 1; i >= 0; i--) {
        docs.push(d[i] as Doc);
        levels.push(level);
      }
      continue;
    }
    switch (d.type) {
      case "indent":
        docs.push(d.contents);
        levels.push(level + step);
        break;
      case "align":
        // n more columns; with tabs Prettier mixes tabs and spaces, left to it
        if (options.useTabs || typeof d.n !== "number" || d.n < 0) return undefined;
        docs.push(d.contents);
        levels.push(level + d.n);
        break;
      case "break-parent":
        break;
      case "line-suffix":
        suffixes.push(d.contents);
        suffixLevels.push(level);
        break;
      case "line":
        if (d.literal) return undefined;
        if (suffixes.length > 0) {
          // the comments waiting for this line break come first
          docs.push(d);
          levels.push(level);
          takeSuffixes();
          break;
        }
        trimTrailingBlanks(out);
        out.push("\n", options.useTabs ? "\t".repeat(level) : " ".repeat(level));
        break;
      default:
        return undefined;
    }
  }
  return out.join("");
}

/** Parents whose block is a body, always laid out one statement per line. */
const BODY_OWNERS = new Set<A.Node["type"]>([
  "Probe",
  "MacroDef",
  "FnDef",
  "WhileStatement",
  "ForStatement",
  "UnrollStatement",
  "IfExpression",
  "ExpressionStatement",
  "Block",
]);

function printBlock(path: Path<A.Block>, options: Options, print: Print): Doc {
  const node = path.node;
  if (node.statements.length === 0 && !node.result) {
    const dangling = printDangling(path, options);
    return dangling.length === 0 ? "{}" : ["{", indent([hardline, dangling]), hardline, "}"];
  }
  const parent = path.parent as A.Node | null;
  // a block used as a value (`f({ … })`, `(a={ … })`) stays on one line when it fits and has no
  // blank line between its statements; with one it is laid out like a body, which keeps blank
  // lines (only those printSequence keeps count: one after the last statement and no result is dropped)
  const last = node.result ? node.statements.length : node.statements.length - 1;
  if (
    parent &&
    !BODY_OWNERS.has(parent.type) &&
    !node.statements.some((s, i) => i < last && isNextLineEmpty(options.originalText, s.range.end.offset))
  ) {
    const docs: Doc[] = children(path, options, node, "statements", print);
    if (node.result) docs.push(child(path, options, node, "result", print));
    return group(["{", indent([line, join(line, docs)]), line, "}"]);
  }
  const result = node.result && child(path, options, node, "result", print);
  const body: Doc[] = printSequence(path, options, print, "statements", result);
  // a blank line right after `{` is kept, as bpftrace --fmt keeps it
  const blankAfterBrace = /^[ \t\r]*\n[ \t\r]*\n/.test(options.originalText.slice(node.range.start.offset + 1));
  return ["{", indent([hardline, blankAfterBrace ? hardline : "", body]), hardline, "}"];
}

/** Columns between the line's indentation and the start of a condition (for aligned continuation lines). */
function conditionColumn(path: Path): number | undefined {
  const parent = path.parent as A.Node | null;
  if (!parent) return undefined;
  if (parent.type === "Predicate") return 1;
  if (parent.type !== "Condition") return undefined;
  const owner = path.getNode(2) as A.Node | null;
  // `if comptime (a && b)`: the condition starts after `comptime `
  const paren = (parent.parenthesized ? 1 : 0) + (parent.comptime ? "comptime ".length : 0);
  if (owner?.type === "IfExpression") return elseIfWidth(path, 2) + "if ".length + paren;
  if (owner?.type === "WhileStatement") return "while ".length + paren;
  return undefined;
}

/** `} else ` when the `if` at `path.getNode(ifDepth)` is an else-if, for alignment. */
function elseIfWidth(path: Path, ifDepth: number): number {
  const owner = path.getNode(ifDepth) as A.Node | null;
  const ownerParent = path.getNode(ifDepth + 1) as A.Node | null;
  return ownerParent?.type === "IfExpression" && ownerParent.alternate === owner ? "} else ".length : 0;
}

function printBinary(path: Path<A.BinaryExpression>, options: Options, print: Print): Doc {
  const node = path.node;
  const prec = PRECEDENCE[node.operator];
  // operands and the operator that follows each: [a, "&&", b, "||", c]
  const operands: Doc[] = [];
  const operators: string[] = [];
  const afterOperator: Doc[] = [];
  // A chain like `1 + 1 + … + 1` is a left-deep tree as deep as it is long (bpftrace accepts
  // thousands of terms). It is walked with a loop that pushes each `left` onto the path's stack,
  // as `path.call(…, "left")` would, so no call nests per term: recursion would overflow the stack.
  const stack = path.stack as unknown[];
  const base = stack.length;
  try {
    let n = node;
    while (n.left.type === "BinaryExpression" && PRECEDENCE[n.left.operator] === prec && !hasComments(n.left)) {
      n = n.left;
      stack.push("left", n);
    }
    operands.push(child(path, options, n, "left", print));
    for (;;) {
      const current = path.node;
      operators.push(current.operator);
      afterOperator.push(startsWithComment(current.right, "line") ? " " : line);
      operands.push(child(path, options, current, "right", print));
      if (stack.length === base) break;
      stack.length -= 2;
    }
  } finally {
    stack.length = base;
  }
  const column = conditionColumn(path);
  if (column !== undefined && (node.operator === "&&" || node.operator === "||")) {
    // bpftrace's layout: fill the line, continuation aligned with the condition
    const parts: Doc[] = [];
    operands.forEach((operand, i) => {
      if (i > 0) parts.push(afterOperator[i - 1]);
      parts.push(i < operators.length ? [operand, " ", operators[i]] : operand);
    });
    return align(column, fill(parts));
  }
  const rest: Doc[] = [];
  for (let i = 0; i < operators.length; i++) rest.push(" ", operators[i], afterOperator[i], operands[i + 1]);
  return group([operands[0], indent(rest)]);
}

/** The operator a printed expression starts with, if any (to keep `- -x` from becoming `--x`). */
function leadingOperator(start: A.Node): string | undefined {
  // a loop, not recursion: the leftmost operand of a long chain is as deep as the chain is long
  for (let node = start; ; ) {
    switch (node.type) {
      case "UnaryExpression":
        return node.operator;
      case "UpdateExpression":
        if (node.prefix) return node.operator;
        node = node.operand;
        break;
      case "BinaryExpression":
        node = node.left;
        break;
      case "TernaryExpression":
        node = node.test;
        break;
      case "FieldAccess":
      case "TupleIndex":
      case "IndexExpression":
        node = node.object;
        break;
      case "IntegerLiteral":
        return node.raw.startsWith("-") ? "-" : undefined;
      default:
        return undefined;
    }
  }
}

function printCall(path: Path<A.Call>, options: Options, print: Print): Doc {
  const node = path.node;
  const callee = child(path, options, node, "callee", print);
  if (node.args.length === 0) {
    const dangling = printDangling(path, options, " ");
    return [callee, "(", dangling, ")"];
  }
  const args = children(path, options, node, "args", print);
  const parent = path.parent as A.Node | null;
  if (parent?.type === "ExpressionStatement") {
    const laidOut = bpftraceArgumentLines(path, options, args);
    if (laidOut) return laidOut;
    // with a comment among the arguments: filled, aligned after `(`
    const parts: Doc[] = [];
    args.forEach((arg, i) => {
      if (i > 0) parts.push(startsWithComment(node.args[i], "line") ? " " : line);
      parts.push(i < args.length - 1 ? [arg, ","] : arg);
    });
    return group([callee, "(", align(node.callee.name.length + 1, fill(parts)), ")"]);
  }
  return group([callee, "(", indent([softline, commaSeparated(node.args, args)]), softline, ")"]);
}

/** Widest an argument list may be when bpftrace tries every arrangement (2^(n-1) of them). */
const MAX_ARRANGED_ARGUMENTS = 16;

/**
 * `printf("…", a, b)` as `bpftrace --fmt` lays out a call that is a statement, measured against
 * it: on one line when the arguments (each but the last with its `, `) are narrower than the
 * width left after `name(`; otherwise the first arrangement, counting line breaks after each
 * argument as the bits of a number from 0 up, whose every line fits, lines aligned after `(` (in
 * practice: a break right after the format string, and more only where the rest does not fit);
 * when no arrangement fits and one line is wider than the statement may be, `name(` ends its
 * line, the arguments follow indented and `)` starts the next line. Undefined
 * (filled instead) when an argument holds a comment or a line break, or there are very many.
 */
function bpftraceArgumentLines(path: Path<A.Call>, options: Options, args: Doc[]): Doc | undefined {
  const node = path.node;
  const n = args.length;
  if (n > MAX_ARRANGED_ARGUMENTS || hasComments(node.callee) || hasComments(node)) return undefined;
  const widths = args.map((arg, i) => flatWidth(arg) + (i < n - 1 ? 2 : 0));
  if (!widths.every(Number.isFinite)) return undefined;
  const statementWidth = options.printWidth - indentationOf(path, options);
  const available = statementWidth - (node.callee.name.length + 2);
  const total = widths.reduce((a, b) => a + b, 0);
  const callee = node.callee.name;
  const joined = (from: number, to: number) => join(", ", args.slice(from, to));
  if (total < available) return [callee, "(", joined(0, n), ")"];
  for (let mask = 1; mask < 1 << (n - 1); mask++) {
    const lines: [number, number][] = [];
    let start = 0;
    for (let i = 1; i < n; i++) {
      if (mask & (1 << (i - 1))) {
        lines.push([start, i]);
        start = i;
      }
    }
    lines.push([start, n]);
    const fits = lines.every(([from, to]) => widths.slice(from, to).reduce((a, b) => a + b, 0) <= available);
    if (fits) {
      const body = join([",", hardline], lines.map(([from, to]) => joined(from, to)));
      return [callee, "(", align(callee.length + 1, body), ")"];
    }
  }
  if (total > statementWidth) return [callee, "(", indent([hardline, joined(0, n)]), hardline, ")"];
  return [callee, "(", joined(0, n), ")"];
}

/** Columns of indentation of the statement at `path` (one level per enclosing block). */
function indentationOf(path: Path, options: Options): number {
  let levels = 0;
  for (let depth = 1; ; depth++) {
    const ancestor = path.getNode(depth) as A.Node | null;
    if (!ancestor) break;
    if (ancestor.type === "Block" || ancestor.type === "ConfigBlock") levels++;
  }
  return levels * options.tabWidth;
}

/** Width of a doc printed on one line; Infinity when it cannot be (a line break, a comment). */
function flatWidth(doc: Doc): number {
  if (typeof doc === "string") return doc.includes("\n") ? Infinity : doc.length;
  if (Array.isArray(doc)) return doc.reduce((sum: number, d: Doc) => sum + flatWidth(d), 0);
  switch (doc.type) {
    case "group":
    case "indent":
    case "align":
    case "label":
    case "line-suffix-boundary":
      return "contents" in doc ? flatWidth(doc.contents as Doc) : 0;
    case "fill":
      return flatWidth(doc.parts as Doc[]);
    case "line":
      return doc.hard ? Infinity : doc.soft ? 0 : 1;
    case "if-break":
      return flatWidth(doc.flatContents as Doc);
    case "indent-if-break":
      return flatWidth((doc as unknown as { contents: Doc }).contents);
    case "line-suffix":
      // a comment printed at the next line break takes no room on this line (one that breaks
      // the line comes with a break-parent or a hard line)
      return Number.isFinite(flatWidth(doc.contents as Doc)) ? 0 : Infinity;
    case "break-parent":
    case "trim":
      return Infinity;
    case "cursor":
      return 0;
    default:
      return Infinity;
  }
}

/** `a, b, c`; a line comment that leads an element stays on the line of the comma before it. */
function commaSeparated(nodes: readonly A.Node[], docs: Doc[]): Doc[] {
  return docs.map((doc, i) => (i === 0 ? doc : [",", startsWithComment(nodes[i], "line") ? " " : line, doc]));
}

function printList(open: string, nodes: readonly A.Node[], docs: Doc[], close: string, trailing = ""): Doc {
  return group([open, indent([softline, commaSeparated(nodes, docs), trailing]), softline, close]);
}

function printType(node: A.NamedType): string {
  let out = node.tag ? `${node.tag} ${node.name}` : node.name;
  for (const s of node.suffixes) out += s.kind === "pointer" ? "*" : `[${s.size ?? ""}]`;
  return out;
}

/** The text of a leaf (a name, a literal, a type) as printNode prints it; undefined for other nodes. */
function leafText(node: A.Node): string | undefined {
  switch (node.type) {
    case "Identifier":
    case "Builtin":
    case "Variable":
    case "MapRef":
      return node.name;
    case "IntegerLiteral":
    case "StringLiteral":
      return node.raw;
    case "BooleanLiteral":
      return node.value ? "true" : "false";
    case "PositionalParam":
      return `$${node.index}`;
    case "ParamCount":
      return "$#";
    case "NamedType":
      return printType(node);
    default:
      return undefined;
  }
}

/**
 * `print(key)` for the child `node[key]`. Without comments it is printed here: a leaf as its text,
 * another node by this printer with the path moved to it as `print` would. What Prettier's own
 * walk to a child adds (a closure, its cache of printed nodes, the ignore, cursor and comment
 * checks) gives the same doc for a node without comments and was a good part of the time.
 */
function child(path: Path, options: Options, node: A.Node, key: string, print: Print): Doc {
  const value = (node as unknown as Record<string, A.Node | undefined>)[key];
  if (!value || hasComments(value)) return print(key);
  const leaf = leafText(value);
  if (leaf !== undefined) return leaf;
  const stack = path.stack as unknown[];
  stack.push(key, value);
  try {
    return printNode(path, value, options, print);
  } finally {
    stack.length -= 2;
  }
}

/** `path.map(print, key)` for the children `node[key]`, each as `child` prints it. */
function children(path: Path, options: Options, node: A.Node, key: string, print: Print): Doc[] {
  const nodes = (node as unknown as Record<string, A.Node[]>)[key];
  const out: Doc[] = new Array(nodes.length);
  const stack = path.stack as unknown[];
  for (let i = 0; i < nodes.length; i++) {
    const value = nodes[i];
    if (hasComments(value)) {
      out[i] = print([key, i]);
      continue;
    }
    const leaf = leafText(value);
    if (leaf !== undefined) {
      out[i] = leaf;
      continue;
    }
    stack.push(key, nodes, i, value);
    try {
      out[i] = printNode(path, value, options, print);
    } finally {
      stack.length -= 4;
    }
  }
  return out;
}

function printNode(path: Path, node: A.Node, options: Options, print: Print): Doc {
  switch (node.type) {
    case "Program":
      return printProgram(path as Path<A.Program>, options, print);
    case "Shebang":
      return node.text;
    case "Comment":
      return node.text;
    case "CPreprocessor":
    case "CDefinition":
      return node.text.trimEnd();
    case "ConfigBlock": {
      const head = ["config = ", printMarked(path, "before-brace")];
      if (node.items.length === 0) {
        const dangling = printDangling(path, options);
        return dangling.length === 0 ? [head, "{}"] : [head, "{", indent([hardline, dangling]), hardline, "}"];
      }
      return [head, "{", indent([hardline, printSequence(path, options, print, "items")]), hardline, "}"];
    }
    case "ConfigItem":
      return [child(path, options, node, "key", print), " = ", child(path, options, node, "value", print), ";"];
    case "Import":
      return ["import ", child(path, options, node, "path", print), ";"];
    case "MacroDef":
      return ["macro ", child(path, options, node, "name", print), "(", join(", ", children(path, options, node, "params", print)), printDangling(path, options, " "), ")", hardline, child(path, options, node, "body", print)];
    case "FnDef":
      return [
        "fn ",
        child(path, options, node, "name", print),
        "(",
        join(", ", children(path, options, node, "params", print)),
        printDangling(path, options, " "),
        ") : ",
        child(path, options, node, "returnType", print),
        hardline,
        child(path, options, node, "body", print),
      ];
    case "FnParam":
      return [child(path, options, node, "variable", print), " : ", child(path, options, node, "typeRef", print)];
    case "MapDecl":
      return ["let ", child(path, options, node, "map", print), " = ", child(path, options, node, "kind", print), "(", child(path, options, node, "size", print), ");"];
    case "Probe":
      return [
        join([",", hardline], children(path, options, node, "attachPoints", print)),
        // the predicate has a line of its own
        node.predicate ? [hardline, flatOr(child(path, options, node, "predicate", print), options.printWidth)] : "",
        hardline,
        child(path, options, node, "body", print),
      ];
    case "AttachPoint":
      return node.raw;
    case "Predicate":
      return group(["/", startsWithComment(node.expression) ? " " : "", child(path, options, node, "expression", print), "/"]);
    case "Block":
      return printBlock(path as Path<A.Block>, options, print);
    case "ExpressionStatement":
      return [child(path, options, node, "expression", print), node.semicolon ? ";" : ""];
    case "Assignment":
      return group([child(path, options, node, "target", print), " ", node.operator, " ", child(path, options, node, "value", print), ";"]);
    case "LetStatement":
      return [
        "let ",
        child(path, options, node, "variable", print),
        node.typeRef ? [" : ", child(path, options, node, "typeRef", print)] : "",
        node.value ? [" = ", child(path, options, node, "value", print)] : "",
        ";",
      ];
    case "DiscardStatement":
      return ["_ = ", child(path, options, node, "value", print), ";"];
    case "Condition":
      // `if comptime (c)` / `if comptime c`; `if (comptime c)` is a ComptimeExpression inside the parentheses
      return [
        node.comptime ? "comptime " : "",
        node.parenthesized ? ["(", child(path, options, node, "expression", print), ")"] : child(path, options, node, "expression", print),
      ];
    case "WhileStatement":
      return ["while ", flatCondition(path, options, node, child(path, options, node, "condition", print)), beforeBody(node.condition), child(path, options, node, "body", print)];
    case "UnrollStatement":
      return ["unroll ", child(path, options, node, "count", print), beforeBody(node.count), child(path, options, node, "body", print)];
    case "ForStatement":
      return [
        "for ",
        node.parenthesized ? "(" : "",
        child(path, options, node, "variable", print),
        " : ",
        child(path, options, node, "iterable", print),
        node.parenthesized ? ")" : "",
        endsWithLineComment(node.variable) || endsWithLineComment(node.iterable) ? hardline : " ",
        child(path, options, node, "body", print),
      ];
    case "RangeExpression":
      return [child(path, options, node, "start", print), "..", child(path, options, node, "end", print)];
    case "BreakStatement":
      return "break;";
    case "ContinueStatement":
      return "continue;";
    case "ReturnStatement":
      return node.value ? ["return ", child(path, options, node, "value", print), ";"] : "return;";
    case "IntegerLiteral":
    case "StringLiteral":
    case "BooleanLiteral":
    case "Identifier":
    case "Builtin":
    case "Variable":
    case "MapRef":
    case "PositionalParam":
    case "ParamCount":
    case "NamedType":
      return leafText(node)!;
    case "MapAccess":
      return [child(path, options, node, "map", print), printList("[", node.keys, children(path, options, node, "keys", print), "]")];
    case "Call":
      return printCall(path as Path<A.Call>, options, print);
    case "UnaryExpression": {
      const lead = leadingOperator(node.operand);
      const space = (node.operator === "-" || node.operator === "&") && lead?.startsWith(node.operator) ? " " : "";
      return [node.operator, space, child(path, options, node, "operand", print)];
    }
    case "UpdateExpression":
      return node.prefix ? [node.operator, child(path, options, node, "operand", print)] : [child(path, options, node, "operand", print), node.operator];
    case "BinaryExpression":
      return printBinary(path as Path<A.BinaryExpression>, options, print);
    case "TernaryExpression":
      return node.consequent
        ? group([child(path, options, node, "test", print), printTrailingMarked(path, "before-question"), indent([line, "? ", child(path, options, node, "consequent", print), printTrailingMarked(path, "before-colon"), line, ": ", child(path, options, node, "alternate", print)])])
        : group([child(path, options, node, "test", print), printTrailingMarked(path, "before-question"), indent([line, "?: ", child(path, options, node, "alternate", print)])]);
    case "FieldAccess":
      return [child(path, options, node, "object", print), node.arrow ? "->" : ".", child(path, options, node, "field", print)];
    case "TupleIndex":
      return [child(path, options, node, "object", print), ".", child(path, options, node, "index", print)];
    case "IndexExpression":
      return [child(path, options, node, "object", print), "[", child(path, options, node, "index", print), "]"];
    case "Cast":
      return ["(", child(path, options, node, "typeRef", print), ")", child(path, options, node, "operand", print)];
    case "Parenthesized":
      return ["(", child(path, options, node, "expression", print), ")"];
    case "TupleExpression": {
      if (node.elements.length === 0) return ["(", printDangling(path, options, " "), ")"];
      const trailing = node.trailingComma || node.elements.length === 1 ? "," : "";
      return printList("(", node.elements, children(path, options, node, "elements", print), ")", trailing);
    }
    case "RecordExpression":
      return printList("(", node.fields, children(path, options, node, "fields", print), ")");
    case "RecordField":
      return [child(path, options, node, "name", print), "=", child(path, options, node, "value", print)];
    case "SizeofExpression":
      return ["sizeof(", child(path, options, node, "argument", print), ")"];
    case "OffsetofExpression":
      return ["offsetof(", child(path, options, node, "argument", print), ", ", join(".", children(path, options, node, "fields", print)), ")"];
    case "TypeinfoExpression":
      return ["typeinfo(", child(path, options, node, "argument", print), ")"];
    case "ComptimeExpression":
      return ["comptime ", child(path, options, node, "operand", print)];
    case "IfExpression":
      return [
        "if ",
        flatCondition(path, options, node, child(path, options, node, "condition", print)),
        beforeBody(node.condition),
        child(path, options, node, "consequent", print),
        node.alternate ? [" ", printMarked(path, "before-else"), "else ", printMarked(path, "after-else"), child(path, options, node, "alternate", print)] : "",
      ];
    case "TypeofType":
      return ["typeof(", child(path, options, node, "argument", print), ")"];
    default: {
      const never: never = node;
      throw new Error(`bt-fmt: no printer for node type ${(never as A.Node).type}`);
    }
  }
}

function print(path: Path, options: Options, print: Print): Doc {
  const node = path.node;
  const preformatted = (node as Partial<PreformattedProgram>).formatted;
  if (preformatted !== undefined) return preformatted;
  const printed = printNode(path, node, options, print);
  if (!hasComments(node)) return printed;
  // Anything still dangling (a comment in a spot no layout above expects) is kept next to its node.
  const rest = printDangling(path, options, " ");
  return printWithComments(path, options.originalText, rest.length > 0 ? [printed, " ", rest] : printed);
}

/** Links of a same-precedence chain above which comment attachment sees the chain flat (below). */
const FLAT_COMMENT_CHAIN = 1000;

/**
 * Comment attachment sees a same-precedence chain of more than FLAT_COMMENT_CHAIN links
 * (`a + b + … + z`; bpftrace --fmt takes about 7,000) as one node whose children are its
 * operands: Prettier's descent to a comment's nodes recurses per tree level and copies the
 * ancestor list at each, so such a chain would overflow the stack or take quadratic time.
 * Shorter chains keep the tree as it is, so a comment's enclosing node is its real parent (the
 * comment handlers place end-of-line comments by their enclosing node's children); in a flat
 * chain an end-of-line comment may be moved to before the chain's last operand.
 */
function getCommentChildNodes(node: A.Node): A.Node[] | undefined {
  // the children Prettier would list through the visitor keys, without its generator
  if (node.type !== "BinaryExpression") return childNodes(node);
  const prec = PRECEDENCE[node.operator];
  const rights: A.Node[] = [];
  let n = node;
  while (n.left.type === "BinaryExpression" && PRECEDENCE[n.left.operator] === prec) {
    rights.push(n.right);
    n = n.left;
  }
  if (rights.length < FLAT_COMMENT_CHAIN) return childNodes(node);
  return [n.left, n.right, ...rights.reverse()];
}

export const printer: Printer<A.Node> & { isGap: (gap: string) => boolean } = {
  print,
  // print() places leading and trailing comments itself (printWithComments); an ignored node is
  // printed by Prettier as written, with its comments
  willPrintOwnComments: (path) => !hasPrettierIgnore(path),
  getCommentChildNodes: getCommentChildNodes as Printer<A.Node>["getCommentChildNodes"],
  printComment: printComment as Printer<A.Node>["printComment"],
  canAttachComment: canAttachComment as Printer<A.Node>["canAttachComment"],
  isBlockComment: isBlockComment as Printer<A.Node>["isBlockComment"],
  getVisitorKeys: getVisitorKeys as unknown as Printer<A.Node>["getVisitorKeys"],
  hasPrettierIgnore,
  handleComments: handleComments as unknown as Printer<A.Node>["handleComments"],
  // A comment between two nodes on one line leads the next node only when nothing but blanks
  // separates them (Prettier's default also lets `(` through, which moves `f /* c */(a)` into the call).
  isGap: (gap: string) => /^\s*$/.test(gap.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "")),
};
