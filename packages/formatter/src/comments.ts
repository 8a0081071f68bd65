/**
 * Comment hooks for Prettier's own attachment algorithm (the approach of
 * prettier-plugin-java 2.7+): which nodes take comments, how a comment is
 * printed, and a few handlers that keep the output stable on a second run.
 */
import type { AstPath, Doc } from "prettier";
import { visitorKeys, type Block, type Comment, type Node } from "@bt/parser";
import { builders } from "prettier/doc";

const { hardline, join } = builders;

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

/** Put a comment inside a block: before its first statement, or dangling when it is empty. */
function moveIntoBlock(comment: AttachedComment, block: Block): true {
  const first: Node | undefined = block.statements[0] ?? block.result;
  if (first) addComment(first, comment, true, false);
  else addComment(block, comment, false, false);
  return true;
}

interface CommentContext {
  comment: AttachedComment;
  precedingNode?: Node;
  enclosingNode?: Node;
  followingNode?: Node;
  text: string;
}

/** Constructs whose `{` follows on the same line (K&R): a comment before the brace moves inside the block. */
const KR_OWNERS = new Set<Node["type"]>([
  "IfExpression",
  "WhileStatement",
  "UnrollStatement",
  "ForStatement",
  "MacroDef",
  "FnDef",
]);

function handleBeforeBlock({ comment, enclosingNode, followingNode }: CommentContext): boolean {
  if (followingNode?.type === "Block" && enclosingNode && KR_OWNERS.has(enclosingNode.type)) {
    return moveIntoBlock(comment, followingNode);
  }
  return false;
}

export const handleComments = {
  ownLine: (ctx: CommentContext) => handleBeforeBlock(ctx),
  endOfLine: (ctx: CommentContext) => handleBeforeBlock(ctx),
  remaining: (ctx: CommentContext) => handleBeforeBlock(ctx),
};
