/**
 * Range formatting. Prettier's core only range-formats its built-in languages
 * (prettier/prettier#7639) and silently ignores `rangeStart`/`rangeEnd` for a
 * plugin, so it is done here: the whole file is formatted, then only the
 * statements (or top-level items) that overlap the range are taken from the
 * result and spliced into the original text, whole lines at a time. Nothing
 * outside those lines changes.
 *
 * Which lines: the innermost body (a block's statements, a config block's items,
 * the program's items) that contains the range; the run of its children that
 * overlap the range, widened with neighbours until it starts and ends its lines
 * (only blanks before it, only blanks, `;` or comments after it) in both the
 * original and the formatted text, else the next body outwards. The formatted
 * text's AST is the original's (ranges aside), so a child is found in both by
 * the same path. The spliced result is checked (same AST, same comments); a
 * range that cannot be isolated formats the whole file.
 */
import { parse as parseBpftrace, visitorKeys, type Comment, type Node, type Program } from "@bt/parser";
import { format, type FormatOptions } from "./format.ts";
import { astShape, commentTexts, fatalDiagnostics, parseStrict } from "./parser.ts";

export interface Range {
  /** Offset of the range's first character (0-based, like Prettier's `rangeStart`). */
  start: number;
  /** Offset just past the range (exclusive, like Prettier's `rangeEnd`). */
  end: number;
}

type Key = string | number;
type Sequence = { path: Key[]; children: Node[] };

function childrenOf(node: Node): Node[] {
  switch (node.type) {
    case "Program":
      return node.body;
    case "ConfigBlock":
      return node.items;
    case "Block":
      return node.result ? [...node.statements, node.result] : node.statements;
    default:
      return [];
  }
}

function isNode(value: unknown): value is Node {
  return Boolean(value) && typeof value === "object" && typeof (value as Node).type === "string";
}

/** The bodies containing the range, outermost first, each with its path from the program. */
function enclosingSequences(program: Program, range: Range): Sequence[] {
  const out: Sequence[] = [];
  const contains = (n: Node) => n.range.start.offset <= range.start && range.end <= n.range.end.offset;
  const visit = (node: Node, path: Key[]) => {
    if (node.type === "Program" || node.type === "ConfigBlock" || node.type === "Block") {
      out.push({ path, children: childrenOf(node) });
    }
    for (const key of visitorKeys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      const list = Array.isArray(value) ? value : [value];
      list.forEach((child, i) => {
        if (isNode(child) && child.type !== "Shebang" && contains(child)) {
          visit(child, Array.isArray(value) ? [...path, key, i] : [...path, key]);
        }
      });
    }
  };
  visit(program, []);
  return out;
}

/** The body at `path` in another program of the same shape. */
function sequenceAt(program: Program, path: Key[]): Node[] {
  let node: unknown = program;
  for (const key of path) node = (node as Record<Key, unknown>)[key];
  return childrenOf(node as Node);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Whether only blanks precede `offset` on its line. */
function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

/**
 * The end of the line holding `offset` when only blanks, `;` and comments that
 * end on this line follow it there (the offset of the `\n`, or the text's end); else -1.
 */
function lineEndAfter(text: string, offset: number, comments: readonly Comment[]): number {
  let i = offset;
  for (;;) {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\r" || text[i] === ";")) i++;
    if (i >= text.length || text[i] === "\n") return i;
    const comment = comments.find((c) => c.range.start.offset === i);
    if (!comment || comment.text.includes("\n")) return -1;
    i = comment.range.end.offset;
  }
}

/**
 * Format only the statements or top-level items that overlap `range`, leaving
 * every other line of `text` as it is. Throws `BpftraceSyntaxError` on text
 * that does not parse (like `format`).
 */
export async function formatRange(text: string, range: Range, options: FormatOptions = {}): Promise<string> {
  const start = Math.max(0, Math.min(range.start, text.length));
  const end = Math.max(start, Math.min(range.end, text.length));
  // format throws BpftraceSyntaxError on text that does not parse
  const formatted = await format(text, options);
  if (formatted === text) return text;
  const original = parseStrict(text);
  const pretty = parseStrict(formatted);
  const overlaps = (n: Node) =>
    start === end
      ? n.range.start.offset <= start && start <= n.range.end.offset
      : n.range.start.offset < end && start < n.range.end.offset;

  // a range over nothing but blank space or comments between top-level items formats nothing
  if (!original.body.some(overlaps)) return text;
  const sequences = enclosingSequences(original, { start, end }).reverse();
  const originalShape = astShape(original);
  const originalComments = JSON.stringify(commentTexts(original));
  for (const seq of sequences) {
    const mine = seq.children;
    const theirs = sequenceAt(pretty, seq.path);
    if (theirs.length !== mine.length) continue;
    let first = mine.findIndex(overlaps);
    if (first === -1) continue;
    let last = first;
    while (last + 1 < mine.length && overlaps(mine[last + 1])) last++;
    // widen until the run starts and ends its lines in both texts
    for (;;) {
      const okStart =
        startsLine(text, mine[first].range.start.offset) && startsLine(formatted, theirs[first].range.start.offset);
      const endMine = lineEndAfter(text, mine[last].range.end.offset, original.comments);
      const endTheirs = lineEndAfter(formatted, theirs[last].range.end.offset, pretty.comments);
      if (okStart && endMine !== -1 && endTheirs !== -1) {
        const from = lineStart(text, mine[first].range.start.offset);
        const fromTheirs = lineStart(formatted, theirs[first].range.start.offset);
        const result = text.slice(0, from) + formatted.slice(fromTheirs, endTheirs) + text.slice(endMine);
        const check = parseBpftrace(result);
        if (
          fatalDiagnostics(check.diagnostics).length === 0 &&
          astShape(check.ast) === originalShape &&
          JSON.stringify(commentTexts(check.ast)) === originalComments
        ) {
          return result;
        }
        break;
      }
      if (!okStart && first > 0) first--;
      else if ((endMine === -1 || endTheirs === -1) && last < mine.length - 1) last++;
      else break;
    }
  }
  return formatted;
}
