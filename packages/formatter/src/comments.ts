/**
 * Comment hooks for Prettier's own attachment algorithm (the approach of
 * prettier-plugin-java 2.7+): which nodes take comments, how a comment is
 * printed, and a few handlers that keep the output stable on a second run.
 */
import type { AstPath, Doc } from "prettier";
import { childNodes, visitorKeys, type Comment, type Node } from "@bt/parser";
import { builders } from "prettier/doc";

const { breakParent, hardline, join, lineSuffix } = builders;

/** A comment as Prettier decorates it. */
export type AttachedComment = Comment & { leading?: boolean; trailing?: boolean; printed?: boolean };
type WithComments = { comments?: AttachedComment[] };

/** Comments go on every node except comments themselves and verbatim-only pieces. */
export function canAttachComment(node: Node): boolean {
  return Boolean(node && typeof node === "object" && "type" in node) && node.type !== "Comment" && node.type !== "Shebang";
}

export function isBlockComment(comment: Comment): boolean {
  return comment.kind === "block";
}

export function getVisitorKeys(node: Node): readonly string[] {
  return visitorKeys[node.type] ?? [];
}

/** `// prettier-ignore`, `// bt-fmt-ignore` and their block-comment forms. */
export function isIgnoreComment(comment: Comment): boolean {
  const body = comment.kind === "line" ? comment.text.slice(2) : comment.text.slice(2, -2);
  return /^\s*(?:prettier|bt-fmt)-ignore\s*$/.test(body);
}

export function hasIgnoreComment(node: Node): boolean {
  return Boolean((node as WithComments).comments?.some((c) => c.leading && isIgnoreComment(c)));
}

export function hasPrettierIgnore(path: AstPath<Node>): boolean {
  const node = path.node;
  return Boolean(node) && hasIgnoreComment(node);
}

/** Line comments verbatim (trailing blanks dropped); block comments verbatim, JSDoc-style ones re-indented. */
export function printComment(path: AstPath<Comment>): Doc {
  const comment = path.node;
  if (comment.kind === "line") return comment.text.trimEnd();
  const lines = comment.text.split("\n");
  if (lines.length > 1 && lines.slice(1).every((l) => l.trimStart().startsWith("*"))) {
    return join(
      hardline,
      lines.map((l, i) => (i === 0 ? l.trimEnd() : " " + l.trim())),
    );
  }
  return comment.text;
}

function addComment(node: Node, comment: AttachedComment, leading: boolean, trailing: boolean): void {
  comment.leading = leading;
  comment.trailing = trailing;
  const holder = node as WithComments;
  (holder.comments ??= []).push(comment);
}

/**
 * What Prettier knows about a comment when it asks the handlers. Without the printer feature
 * `experimental_avoidAstMutation` (we do not set it) the handlers get
 * `(comment, text, options, ast, isLastComment)`, with the neighbours set on the comment itself.
 */
export interface CommentContext {
  comment: AttachedComment;
  precedingNode?: Node;
  enclosingNode?: Node;
  followingNode?: Node;
  text: string;
  ast?: Node;
}

type DecoratedComment = AttachedComment & Omit<CommentContext, "comment" | "text" | "ast">;
type Handler = (ctx: CommentContext) => boolean;

/** Accepts both calling conventions (the context object, or the decorated comment, text, options and AST). */
function adapt(handler: Handler) {
  return (first: DecoratedComment | CommentContext, text?: string, _options?: unknown, ast?: Node): boolean => {
    if ("comment" in first && first.comment && typeof first.comment === "object") return handler(first as CommentContext);
    const comment = first as DecoratedComment;
    return handler({
      comment,
      precedingNode: comment.precedingNode,
      enclosingNode: comment.enclosingNode,
      followingNode: comment.followingNode,
      text: text ?? "",
      ast,
    });
  };
}

/** Where a comment sits inside an `if`: `} /* c *\/ else` or `else /* c *\/ {`; printed there by the printer. */
export type CommentMarker = "before-else" | "after-else" | "before-brace" | "before-question" | "before-colon";

function addDangling(node: Node, comment: AttachedComment, marker: CommentMarker): true {
  addComment(node, comment, false, false);
  (comment as AttachedComment & { marker?: CommentMarker }).marker = marker;
  return true;
}

export function markerOf(comment: AttachedComment): CommentMarker | undefined {
  return (comment as AttachedComment & { marker?: CommentMarker }).marker;
}

/**
 * Nodes whose children a line comment may separate without joining them: the comment stays at
 * the end of the line of what precedes it (bodies, probes, headers whose `{` the printer places).
 */
const LINE_BREAKING_OWNERS = new Set<Node["type"]>([
  "Program",
  "Block",
  "ConfigBlock",
  "Probe",
  "MacroDef",
  "FnDef",
  "IfExpression",
  "WhileStatement",
  "ForStatement",
  "UnrollStatement",
]);

const parentMaps = new WeakMap<object, WeakMap<Node, Node>>();

function parentOf(ast: Node | undefined, node: Node): Node | undefined {
  if (!ast) return undefined;
  let parents = parentMaps.get(ast);
  if (!parents) {
    parents = new WeakMap();
    const stack: Node[] = [ast];
    while (stack.length > 0) {
      const n = stack.pop()!;
      for (const child of childNodes(n)) {
        parents.set(child, n);
        stack.push(child);
      }
    }
    parentMaps.set(ast, parents);
  }
  return parents.get(node);
}

/** `if … {…} /* c *\/ else …`: the comment belongs to the `else`, before or after the keyword. */
function handleElseComment({ comment, enclosingNode, precedingNode, followingNode, text }: CommentContext): boolean {
  if (enclosingNode?.type !== "IfExpression" || !enclosingNode.alternate) return false;
  if (precedingNode !== enclosingNode.consequent || followingNode !== enclosingNode.alternate) return false;
  const between = text.slice(enclosingNode.consequent.range.end.offset, comment.range.start.offset);
  return addDangling(enclosingNode, comment, /\belse\b/.test(between) ? "after-else" : "before-else");
}

/** `config = /* c *\/ {`: the comment stays before the brace. */
function handleConfigComment({ comment, enclosingNode, text }: CommentContext): boolean {
  if (enclosingNode?.type !== "ConfigBlock") return false;
  if (text.slice(enclosingNode.range.start.offset, comment.range.start.offset).includes("{")) return false;
  return addDangling(enclosingNode, comment, "before-brace");
}

/**
 * A line comment at the end of a line inside an expression, type or header. Left to Prettier it
 * would trail the node before it and be printed at the end of the output line, past tokens that
 * give it other neighbours on the next run (`if (a // c⏎) {` → `if (a) { // c`, then inside the
 * block) or onto another line comment (`@x = // c⏎1; // d` → `@x = 1; // c // d`). Instead it
 * leads the next node of the innermost construct that has one after it (the line breaks there:
 * `@x = // c⏎1;`), or, when only closing tokens follow up to a body or header, it trails the
 * whole construct (`if (a) // c⏎{`, `$x = f(a); // c`).
 */
function handleLineCommentInExpression({ comment, enclosingNode, precedingNode, followingNode, ast, text }: CommentContext): boolean {
  if (!enclosingNode) return false;
  // `macro m(a⏎// c⏎) // d⏎{`: at the end of the header's line, before the comment after `)`
  if (
    enclosingNode.type === "MacroDef" && precedingNode && followingNode === enclosingNode.body &&
    text.slice(comment.range.end.offset, followingNode.range.start.offset).includes(")")
  ) {
    trailAtEndOfLine(precedingNode, comment);
    sweep(ast, { from: comment.range.end.offset, to: followingNode.range.start.offset, target: precedingNode, leading: false });
    return true;
  }
  // a definition's name and parameters are a list like any other; its body keeps the default
  if ((enclosingNode.type === "FnDef" || enclosingNode.type === "MacroDef") && followingNode && followingNode !== enclosingNode.body) {
    addComment(followingNode, comment, true, false);
    sweep(ast, { from: comment.range.end.offset, to: followingNode.range.start.offset, target: followingNode, leading: true });
    return true;
  }
  const end = comment.range.end.offset;
  // `for ($i // c⏎: e)`, `for ($i : e⏎// c⏎)`: at the end of the header's line, as when it
  // follows `:`, `e` or `)`
  if (
    enclosingNode.type === "ForStatement" && precedingNode && followingNode &&
    (followingNode !== enclosingNode.body
      ? comment.kind === "line"
      : text.slice(end, followingNode.range.start.offset).includes(")"))
  ) {
    trailAtEndOfLine(precedingNode, comment);
    sweep(ast, { from: end, to: enclosingNode.body.range.start.offset, target: precedingNode, leading: false });
    return true;
  }
  // `a⏎// c⏎, b`: the comma is printed after `a`, and the comment after it, with those up to `b`
  if (
    enclosingNode.type === "Probe" &&
    precedingNode?.type === "AttachPoint" && followingNode?.type === "AttachPoint" &&
    text.slice(end, followingNode.range.start.offset).includes(",")
  ) {
    trailAtEndOfLine(precedingNode, comment);
    sweep(ast, { from: end, to: followingNode.range.start.offset, target: precedingNode, leading: false });
    return true;
  }
  if (LINE_BREAKING_OWNERS.has(enclosingNode.type)) return false;
  let target: Node | undefined = precedingNode;
  let enclosing: Node | undefined = enclosingNode;
  // a definition's header is a list: the comment leads its next part, as in the branch above
  const isDef = (n: Node) => n.type === "FnDef" || n.type === "MacroDef";
  while (enclosing && (!LINE_BREAKING_OWNERS.has(enclosing.type) || isDef(enclosing))) {
    const body = isDef(enclosing) ? (enclosing as Node & { body?: Node }).body : undefined;
    const following = childNodes(enclosing).find((c) => canAttachComment(c) && c.range.start.offset >= end && c !== body);
    if (!following && isDef(enclosing)) break;
    if (following) {
      // `a ? b // c⏎: d`: led by `d`, it would start the `:` line, away from `b`
      if (enclosing.type === "TernaryExpression" && enclosing.consequent && following === enclosing.alternate && text.slice(end, following.range.start.offset).includes(":")) {
        sweep(ast, { from: end, to: following.range.start.offset, target: enclosing, leading: false, marker: "before-colon" });
        return addDangling(enclosing, comment, "before-colon");
      }
      // `(a // c⏎) ? b : d`: led by `b`, it would follow the `?` on the next line, away from `a`
      if (enclosing.type === "TernaryExpression" && following !== enclosing.test && text.slice(end, following.range.start.offset).includes("?")) {
        sweep(ast, { from: end, to: following.range.start.offset, target: enclosing, leading: false, marker: "before-question" });
        return addDangling(enclosing, comment, "before-question");
      }
      addComment(following, comment, true, false);
      sweep(ast, { from: end, to: following.range.start.offset, target: following, leading: true });
      return true;
    }
    target = enclosing;
    enclosing = parentOf(ast, enclosing);
  }
  if (!target) return false;
  const owner = parentOf(ast, target);
  // `print((a, f("x" // c⏎)))`: in a list inside a call's argument it stays after the node before
  // it, printed at the next line break without breaking the groups around it: at the statement's
  // end when it fits on one line, on that node's line where the list breaks (at the statement's
  // end it would be lines away from it). Not when a comment follows the statement on its line
  // (the two would be printed as one).
  const atLineBreak =
    Boolean(owner && STATEMENT_OWNERS.has(owner.type) && precedingNode && inListInCall(ast, precedingNode, target)) &&
    !/\/[/*]/.test(text.slice(target.range.end.offset, lineEndAt(text, target.range.end.offset)));
  const holder = atLineBreak ? precedingNode! : target;
  trailAtEndOfLine(holder, comment, atLineBreak);
  // a header's: up to its body's `{`
  const body = owner && childNodes(owner).find((c) => c.range.start.offset >= target!.range.end.offset);
  const to = body?.type === "Block" ? body.range.start.offset : target.range.end.offset;
  sweep(ast, { from: end, to, target: holder, leading: false, atLineBreak });
  return true;
}

/** Nodes whose children are statements or items. */
const STATEMENT_OWNERS = new Set<Node["type"]>(["Program", "Block", "ConfigBlock"]);

function lineEndAt(text: string, offset: number): number {
  const nl = text.indexOf("\n", offset);
  return nl < 0 ? text.length : nl;
}

/** Whether `node` is inside a tuple that is inside a call's arguments, below `top`. */
function inListInCall(ast: Node | undefined, node: Node, top: Node): boolean {
  let list = false;
  for (let n = parentOf(ast, node); n && n !== top; n = parentOf(ast, n)) {
    if (n.type === "TupleExpression") list = true;
    else if (n.type === "Call" && list) return true;
  }
  return false;
}

type EndOfLineComment = AttachedComment & { endOfLine?: boolean; atLineBreak?: boolean };

/**
 * At the end of the target's line, even when the comment had a line of its own. `atLineBreak`:
 * at the first line break after the target, without breaking the groups around it.
 */
function trailAtEndOfLine(target: Node, comment: AttachedComment, atLineBreak = false): void {
  addComment(target, comment, false, true);
  (comment as EndOfLineComment).endOfLine = true;
  if (atLineBreak) (comment as EndOfLineComment).atLineBreak = true;
}

/**
 * Per AST: the tokens a line comment was moved past (to lead the next node, or to the end of its
 * construct's line). A comment among them goes with it, or it would be printed before it.
 */
interface Sweep {
  from: number;
  to: number;
  target: Node;
  leading: boolean;
  /** a comment among these tokens went to the body after them */
  body?: boolean;
  /** printed at a place of the target's (see addDangling) */
  marker?: CommentMarker;
  /** see trailAtEndOfLine */
  atLineBreak?: boolean;
}
const sweeps = new WeakMap<object, Sweep[]>();

function sweep(ast: Node | undefined, s: Sweep): void {
  if (!ast || s.from >= s.to) return;
  let swept = sweeps.get(ast);
  if (!swept) sweeps.set(ast, (swept = []));
  swept.push(s);
}

/** A comment among the closing tokens after such a line comment follows it to the target. */
function handleSweptComment({ comment, ast }: CommentContext): boolean {
  if (!ast) return false;
  const start = comment.range.start.offset;
  const found = sweeps.get(ast)?.find((s) => start >= s.from && start < s.to);
  if (!found) return false;
  if (found.marker) return addDangling(found.target, comment, found.marker);
  if (found.leading) {
    addComment(found.target, comment, true, false);
    return true;
  }
  // a block comment after the line comment that ends a header leads the body: `if (a) // c⏎/* d */ {`,
  // as it is read again (after it, a `{` has no place to start its own line)
  // (and so do the comments after it)
  const owner = parentOf(ast, found.target);
  if ((comment.kind === "block" || found.body) && owner && LINE_BREAKING_OWNERS.has(owner.type)) {
    const body = childNodes(owner).find((c) => c.range.start.offset >= found.to);
    if (body?.type === "Block") {
      addComment(body, comment, true, false);
      found.body = true;
      return true;
    }
  }
  trailAtEndOfLine(found.target, comment, found.atLineBreak);
  return true;
}

/**
 * `for ($k /* a *\/ : /* b *\/ @m)`, also with line breaks around them: a block comment before
 * the `:` trails the variable, one after it leads the iterable (left to Prettier, one on a line
 * of its own leads the next node and one at the end of a line trails the one before, so
 * `$k⏎/* a *\/ : /* b *\/⏎@m` swapped them).
 */
function handleForHeaderComment({ comment, enclosingNode, precedingNode, followingNode, text }: CommentContext): boolean {
  if (comment.kind !== "block" || enclosingNode?.type !== "ForStatement") return false;
  if (!precedingNode || precedingNode !== enclosingNode.variable || followingNode !== enclosingNode.iterable) return false;
  if (text.slice(precedingNode.range.end.offset, comment.range.start.offset).includes(":")) addComment(followingNode, comment, true, false);
  else trailAtEndOfLine(precedingNode, comment);
  return true;
}

function followedByCommentOnItsLine({ comment, text }: CommentContext): boolean {
  const end = comment.range.end.offset;
  const lineEnd = text.indexOf("\n", end);
  return /\/[/*]/.test(text.slice(end, lineEnd < 0 ? text.length : lineEnd));
}

const handlers: Handler[] = [handleSweptComment, handleElseComment, handleConfigComment, handleForHeaderComment];

export const handleComments = {
  // a comment on a line of its own inside an expression is placed as one at the end of a line
  ownLine: adapt((ctx) => handlers.some((h) => h(ctx)) || handleLineCommentInExpression(ctx)),
  // a block comment at the end of a line stays where it is, unless a line comment follows it there
  endOfLine: adapt(
    (ctx) =>
      handlers.some((h) => h(ctx)) ||
      ((ctx.comment.kind === "line" || followedByCommentOnItsLine(ctx)) && handleLineCommentInExpression(ctx)),
  ),
  remaining: adapt((ctx) => handlers.some((h) => h(ctx))),
};

/** Blanks on the line from `offset` on, then a line break? (`backwards`: the blanks before `offset`.) */
function newlineAt(text: string, offset: number, backwards = false): boolean {
  let i = offset;
  if (backwards) {
    while (i > 0 && (text[i - 1] === " " || text[i - 1] === "\t" || text[i - 1] === "\r")) i--;
    return i === 0 || text[i - 1] === "\n";
  }
  while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\r")) i++;
  return text[i] === "\n";
}

/** The line after the comment ending at `offset` is blank. */
function blankLineAfter(text: string, offset: number): boolean {
  let i = offset;
  while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\r")) i++;
  if (text[i] !== "\n") return false;
  return newlineAt(text, i + 1);
}

/** The line before the comment starting at `offset` is blank. */
function blankLineBefore(text: string, offset: number): boolean {
  let i = offset;
  while (i > 0 && (text[i - 1] === " " || text[i - 1] === "\t" || text[i - 1] === "\r")) i--;
  if (text[i - 1] !== "\n") return false;
  return newlineAt(text, i - 1, true);
}

/** Items, statements and the pieces of a probe start their line; anything else may follow other code on it. */
function startsOutputLine(node: Node, parent: Node | null): boolean {
  if (!parent || parent.type === "Program" || parent.type === "Block" || parent.type === "ConfigBlock") return true;
  if (parent.type === "Probe") return true;
  return node.type === "Block" && (parent.type === "MacroDef" || parent.type === "FnDef");
}

/**
 * The leading and trailing comments of the node at `path`, around its printed form. Like
 * Prettier's own, except that a leading block comment is followed by a line break exactly when
 * it had a line of its own before an item or statement (Prettier's soft line there lets a second
 * run join the lines).
 */
export function printWithComments(path: AstPath<Node>, text: string, printed: Doc): Doc {
  const node = path.node as WithComments;
  if (!node.comments?.length) return printed;
  const startsLine = startsOutputLine(path.node, path.parent as Node | null);
  const leading: Doc[] = [];
  const trailing: Doc[] = [];
  let previous: { isBlock: boolean; hasLineSuffix: boolean } | undefined;
  // whether the next leading comment starts an output line (a later one follows the one before it)
  let atLineStart: boolean | undefined;
  path.each((p) => {
    const comment = p.node as unknown as AttachedComment;
    if (comment.printed || (!comment.leading && !comment.trailing)) return;
    comment.printed = true;
    const contents = printComment(p as unknown as AstPath<Comment>);
    const start = comment.range.start.offset;
    const end = comment.range.end.offset;
    const isBlock = comment.kind === "block";
    if (comment.leading) {
      atLineStart ??= startsLine && newlineAt(text, start, true);
      const startedLine = atLineStart;
      // `/* a */ /* b */⏎x`: the line of comments ends after the last one
      const nextOnLine = isBlock && atLineStart && /^[ \t]*\/[/*]/.test(text.slice(end));
      // before a node that follows code (a header's `{`), a block comment stays on that node's line
      atLineStart = !isBlock || (startsLine && atLineStart && (newlineAt(text, end) || nextOnLine));
      leading.push(contents, atLineStart && !nextOnLine ? hardline : " ");
      // a blank line is kept only between lines of their own: one after a comment that followed
      // code (`unroll (10) // c`) or before code on its line would be gone on a second run
      if (startedLine && atLineStart && blankLineAfter(text, end)) leading.push(hardline);
      return;
    }
    const endOfLine = Boolean((comment as EndOfLineComment).endOfLine);
    const ownLine = newlineAt(text, start, true) && !endOfLine;
    if ((previous?.hasLineSuffix && !previous.isBlock) || ownLine) {
      // one moved to the end of a line has no blank line to keep: read again, it may lead the next node
      const blank = !endOfLine && blankLineBefore(text, start);
      trailing.push(lineSuffix([hardline, blank ? hardline : "", contents]));
      previous = { isBlock, hasLineSuffix: true };
    } else if (!isBlock || previous?.hasLineSuffix) {
      trailing.push(lineSuffix([" ", contents]), (comment as EndOfLineComment).atLineBreak ? "" : breakParent);
      previous = { isBlock, hasLineSuffix: true };
    } else {
      trailing.push(" ", contents);
      previous = { isBlock, hasLineSuffix: false };
    }
  }, "comments");
  return leading.length || trailing.length ? [leading, printed, trailing] : printed;
}
