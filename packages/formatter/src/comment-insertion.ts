/**
 * Comment insertion (tests and fuzz only): put one comment into a gap between two tokens of a
 * program that parses, format it, and classify what the formatter did with it.
 *
 * A variant counts only when it parses and, without its comments, has the original's AST (a
 * comment after `#include <x>` becomes part of that line, for instance: not a variant).
 */
import type { IToken } from "chevrotain";
import { parse } from "@bt/parser";
// the lexer is not part of the parser package's API; the tests need its token kinds and offsets
import { lex } from "../../parser/src/lexer.ts";
import { format } from "./format.ts";
import { astShape, commentTexts, fatalDiagnostics } from "./parser.ts";

export type CommentKind = "line" | "block";

export interface Gap {
  /** offset where the comment goes: right after the token before it */
  offset: number;
  /** token kinds on either side, e.g. `RParen|LCurly` */
  pair: string;
  /** index of the token before the gap among the program's tokens */
  before: number;
}

export type Outcome =
  | "clean"
  | "crash"
  | "changed"
  | "unparsable"
  | "comments"
  | "not-idempotent"
  | "moved";

export interface Verdict {
  outcome: Outcome | "skipped";
  variant: string;
  detail?: string;
  output?: string;
}

const COMMENT_TEXT: Record<CommentKind, string> = { line: "// c", block: "/* c */" };

function tokensOf(text: string): IToken[] {
  return lex(text).tokens;
}

/** Every gap between two tokens (not before the first or after the last). */
export function gapsOf(text: string): Gap[] {
  const tokens = tokensOf(text);
  const gaps: Gap[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    gaps.push({ offset: tokens[i].startOffset + tokens[i].image.length, pair: `${tokens[i].tokenType.name}|${tokens[i + 1].tokenType.name}`, before: i });
  }
  return gaps;
}

export function insertComment(text: string, gap: Gap, kind: CommentKind): string {
  const insert = kind === "line" ? ` ${COMMENT_TEXT.line}\n` : ` ${COMMENT_TEXT.block} `;
  return text.slice(0, gap.offset) + insert + text.slice(gap.offset);
}

function parsesTo(text: string) {
  const { ast, diagnostics } = parse(text);
  return fatalDiagnostics(diagnostics).length === 0 ? ast : undefined;
}

/** Tokens without `;` (the printer adds one where bpftrace's grammar has it optional). */
function significant(tokens: IToken[]): IToken[] {
  return tokens.filter((t) => t.tokenType.name !== "Semi");
}

/** The line of each offset (0-based), by binary search over the line starts. */
function lineFinder(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

/**
 * Where the inserted comment sits: how many significant tokens precede it.
 * The inserted comment is found by its index among the program's comments.
 */
function placeOf(text: string, commentIndex: number): { tokens: IToken[]; position: number; offset: number } | undefined {
  const { tokens, comments } = lex(text);
  const comment = comments[commentIndex];
  if (!comment) return undefined;
  const sig = significant(tokens);
  let position = 0;
  while (position < sig.length && sig[position].startOffset < comment.startOffset) position++;
  return { tokens: sig, position, offset: comment.startOffset };
}

/**
 * Formats `original` with one comment of `kind` in `gap` and says what happened. `original`
 * must parse; `originalShape` is its astShape (passed in so that callers compute it once).
 */
export async function checkInsertion(original: string, originalShape: string, gap: Gap, kind: CommentKind): Promise<Verdict> {
  const variant = insertComment(original, gap, kind);
  const input = parsesTo(variant);
  if (!input || astShape(input) !== originalShape) return { outcome: "skipped", variant };
  const commentIndex = lex(variant).comments.findIndex((c) => c.startOffset === gap.offset + 1);
  if (commentIndex < 0) return { outcome: "skipped", variant };
  let output: string;
  try {
    output = await format(variant);
  } catch (err) {
    return { outcome: "crash", variant, detail: (err as Error).message.split("\n")[0] };
  }
  const after = parsesTo(output);
  if (!after) return { outcome: "unparsable", variant, output };
  if (astShape(after) !== originalShape) return { outcome: "changed", variant, output };
  const want = commentTexts(input);
  const got = commentTexts(after);
  if (JSON.stringify(want) !== JSON.stringify(got)) {
    return { outcome: "comments", variant, output, detail: `${JSON.stringify(want)} → ${JSON.stringify(got)}` };
  }
  let again: string;
  try {
    again = await format(output);
  } catch (err) {
    return { outcome: "crash", variant, output, detail: `second run: ${(err as Error).message.split("\n")[0]}` };
  }
  if (again !== output) return { outcome: "not-idempotent", variant, output, detail: again };
  const from = placeOf(variant, commentIndex);
  const to = placeOf(output, commentIndex);
  if (!from || !to) return { outcome: "comments", variant, output, detail: "inserted comment not found" };
  // the token on either side, or the line of one of them
  const keptSide = Math.abs(from.position - to.position) <= 1;
  const lineAt = lineFinder(output);
  const line = lineAt(to.offset);
  const sameLine = [from.position - 1, from.position].some(
    (i) => i >= 0 && i < to.tokens.length && lineAt(to.tokens[i].startOffset) === line,
  );
  if (!keptSide && !sameLine) {
    return { outcome: "moved", variant, output, detail: `after token ${from.position} → after token ${to.position}` };
  }
  return { outcome: "clean", variant, output };
}

/** A small deterministic hash (FNV-1a) for sampling gaps the same way on every run. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
