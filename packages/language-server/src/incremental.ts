import { parse, type ParseResult, type Position, type Release } from "@bt/parser";
import { unreadable } from "./broken.ts";

/**
 * Reparsing only the top-level items an edit touched. The previous tree's items before the edit
 * are kept as they are, the items after it are kept and moved (offsets, lines, and columns on the
 * line the edit ends on), and the stretch in between is parsed alone: the new text with everything
 * before that stretch blanked to spaces (line ends kept) and the text after it left out, so every
 * position the parser reports is already the right one.
 *
 * The result is the tree of the new text for hover, completion and navigation. Its diagnostics
 * are approximate (whole-program release checks saw only the reparsed items), so diagnostics come
 * from a full parse. Returns undefined, for a full parse instead, whenever the shortcut could be
 * wrong: grammar errors outside the reparsed stretch, before or after the edit (a broken item can
 * swallow the following ones),
 * NUL bytes, a byte-order mark, or items of the reparsed stretch that leave it.
 */
export function reparse(previous: ParseResult, before: string, after: string, target: Release): ParseResult | undefined {
  if (before === after) return previous;
  if (after.includes("\u0000") || after.charCodeAt(0) === 0xfeff || before.charCodeAt(0) === 0xfeff) return undefined;

  const shortest = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shortest && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const changeEnd = before.length - suffix;

  // Kept items are separated from the change by at least one unchanged character, so the edit
  // cannot join their first or last token to new text.
  const items = previous.ast.body;
  let kept = 0;
  while (kept < items.length && items[kept].range.end.offset < prefix) kept++;
  let moved = items.length;
  while (moved > kept && items[moved - 1].range.start.offset > changeEnd) moved--;
  // Around a grammar error, recovery leaves pieces of the broken item (its start before the error,
  // its end after it): reparse one more item on each side.
  if (previous.diagnostics.some(unreadable)) {
    kept = Math.max(0, kept - 1);
    moved = Math.min(items.length, moved + 1);
  }
  const windowStart = kept > 0 ? items[kept - 1].range.end.offset : 0;
  const oldWindowEnd = moved < items.length ? items[moved].range.start.offset : before.length;
  // Kept and moved items must have parsed cleanly: a grammar error in them (or one the edit did
  // not reach) means the recovered items around it may not be what a clean parse makes.
  if (previous.diagnostics.some((d) => unreadable(d) && (d.range.start.offset < windowStart || d.range.end.offset > oldWindowEnd))) return undefined;
  const delta = after.length - before.length;
  const windowEnd = oldWindowEnd + delta;
  // A window running to the start keeps the shebang line in it; otherwise the shebang is unchanged.
  // Nothing after the window can change how it parses: leave it out rather than blank it.
  const window = parseWindow(after, windowStart, windowEnd, target);
  if (window.diagnostics.some(unreadable)) return undefined;
  if (window.ast.body.some((item) => item.range.start.offset < windowStart || item.range.end.offset > windowEnd)) return undefined;

  const anchor = moved < items.length ? items[moved].range.start : undefined;
  const movedItems = items.slice(moved);
  const comments = previous.ast.comments;
  const commentsBefore = comments.filter((c) => c.range.end.offset <= windowStart);
  const commentsAfter = comments.filter((c) => c.range.start.offset >= oldWindowEnd);
  const diagnosticsBefore = previous.diagnostics.filter((d) => d.range.end.offset <= windowStart);
  const diagnosticsAfter = previous.diagnostics.filter((d) => d.range.start.offset >= oldWindowEnd);
  if (anchor) {
    const newAnchor = positionIn(after, windowEnd);
    moveAll([movedItems, commentsAfter, diagnosticsAfter], anchor, newAnchor);
  }
  const windowDiagnostics = window.diagnostics.filter((d) => d.range.start.offset >= windowStart && d.range.end.offset <= windowEnd);
  return {
    target: previous.target,
    ast: {
      ...previous.ast,
      shebang: windowStart === 0 ? window.ast.shebang : previous.ast.shebang,
      body: [...items.slice(0, kept), ...window.ast.body, ...movedItems],
      comments: [...commentsBefore, ...window.ast.comments, ...commentsAfter],
      range: { start: windowStart === 0 ? window.ast.range.start : previous.ast.range.start, end: positionIn(after, after.length) },
    },
    diagnostics: [...diagnosticsBefore, ...windowDiagnostics, ...diagnosticsAfter],
  };
}

/**
 * The items of `text` from `start` to `end`, with their positions in `text`. The stretch is parsed
 * alone and its positions moved to where it starts: blanking the text before it would make the
 * parser scan up to megabytes of spaces on every edit. Only where the stretch's first line holds a
 * `#` (a directive or shebang is read only at the start of a line, which a stretch starting
 * mid-line would fake) is the text before it blanked instead.
 */
function parseWindow(text: string, start: number, end: number, target: Release): ParseResult {
  const stretch = text.slice(start, end);
  const lineEnd = text.indexOf("\n", start);
  const firstLine = text.slice(start, lineEnd === -1 ? end : Math.min(end, lineEnd));
  if (start === 0 || firstLine.includes("#")) return parse(blankBefore(text, start) + stretch, { target });
  const window = parse(stretch, { target });
  moveAll([window.ast.body, window.ast.comments, window.diagnostics], { offset: 0, line: 1, column: 1 }, positionIn(text, start));
  return window;
}

/** The first `end` characters of `text` as spaces, line ends kept (columns count characters, only LF breaks a line). */
function blankBefore(text: string, end: number): string {
  return text.slice(0, end).replace(/[^\n]/g, " ");
}

/** The parser's position of `offset` in `text`: 1-based line (only LF breaks a line) and column. */
function positionIn(text: string, offset: number): Position {
  let lines = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) lines++;
  return { offset, line: lines + 1, column: offset - (text.lastIndexOf("\n", offset - 1) + 1) + 1 };
}

/**
 * Moves every position object reachable from `roots` (nodes, attach-point parts, diagnostics),
 * each once even when shared, from `oldAnchor`'s frame to `newAnchor`'s: the text from the anchor
 * on is unchanged, so offsets and lines move by the anchor's shift, and columns too on its line.
 */
function moveAll(roots: unknown[], oldAnchor: Position, newAnchor: Position): void {
  const offsetShift = newAnchor.offset - oldAnchor.offset;
  const lineShift = newAnchor.line - oldAnchor.line;
  const columnShift = newAnchor.column - oldAnchor.column;
  const anchorLine = oldAnchor.line;
  if (offsetShift === 0 && lineShift === 0 && columnShift === 0) return;
  // The tree shares no nodes, but positions are shared (a parent's range and its first child's
  // start, a token's end): each must move once. A position seen is marked by a negative offset
  // (offsets are never negative) and moved in a second pass, which costs far less than a Set of
  // every position of half a big file.
  const positions: Position[] = [];
  const offsets: number[] = [];
  const stack: unknown[] = [...roots];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== "object" || value === null) continue;
    if (Array.isArray(value)) {
      for (const v of value) stack.push(v);
      continue;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.offset === "number" && typeof record.line === "number" && typeof record.column === "number") {
      const position = record as unknown as Position;
      if (position.offset < 0) continue;
      positions.push(position);
      offsets.push(position.offset);
      position.offset = -1;
      continue;
    }
    for (const key in record) {
      const v = record[key];
      if (typeof v === "object" && v !== null) stack.push(v);
    }
  }
  for (let i = 0; i < positions.length; i++) {
    const position = positions[i];
    if (position.line === anchorLine) position.column += columnShift;
    position.offset = offsets[i] + offsetShift;
    position.line += lineShift;
  }
}
