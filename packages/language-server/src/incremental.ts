import { parse, type Comment, type Diagnostic, type ParseResult, type Position, type Release, type TopLevel } from "@bt/parser";
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
  return before === after ? previous : reparseWindow(previous, before, after, target)?.parsed;
}

/**
 * What an incremental reparse replaced: the stretch from `start` (unchanged by the edit) to
 * `oldEnd` in the old text, `newEnd` in the new one; the old items in it and the items parsed in
 * their place. Everything after the stretch moved from `oldAnchor` to `newAnchor` (offsets and
 * lines by their difference, columns too on the anchor's line), as reparse moved it.
 */
export interface ReparsedWindow {
  before: string;
  start: number;
  oldEnd: number;
  newEnd: number;
  removed: TopLevel[];
  added: TopLevel[];
  oldAnchor?: Position;
  newAnchor?: Position;
  /** The diagnostics of the stretch's own parse (new positions). */
  diagnostics: Diagnostic[];
}

/** reparse, also telling which stretch it parsed again. */
export function reparseWindow(previous: ParseResult, before: string, after: string, target: Release): { parsed: ParseResult; window: ReparsedWindow } | undefined {
  if (after.includes("\u0000") || after.charCodeAt(0) === 0xfeff || before.charCodeAt(0) === 0xfeff) return undefined;

  const shortest = Math.min(before.length, after.length);
  const prefix = commonPrefix(before, after, shortest);
  const suffix = commonSuffix(before, after, shortest - prefix);
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
  const windowStartPosition = kept > 0 ? items[kept - 1].range.end : { offset: 0, line: 1, column: 1 };
  const window = parseWindow(after, windowStart, windowStartPosition, windowEnd, target);
  if (window.diagnostics.some(unreadable)) return undefined;
  if (window.ast.body.some((item) => item.range.start.offset < windowStart || item.range.end.offset > windowEnd)) return undefined;

  const anchor = moved < items.length ? { ...items[moved].range.start } : undefined;
  const newAnchor = anchor && positionAfter(after, windowStartPosition, windowEnd);
  const end = anchor && newAnchor ? { ...previous.ast.range.end } : positionAfter(after, windowStartPosition, after.length);
  if (anchor && newAnchor) shifter(anchor, newAnchor)?.(end);
  const movedItems = items.slice(moved);
  const comments = previous.ast.comments;
  const commentsBefore = comments.filter((c) => c.range.end.offset <= windowStart);
  const commentsAfter = comments.filter((c) => c.range.start.offset >= oldWindowEnd);
  const diagnosticsBefore = previous.diagnostics.filter((d) => d.range.end.offset <= windowStart);
  const diagnosticsAfter = previous.diagnostics.filter((d) => d.range.start.offset >= oldWindowEnd);
  const movedDiagnostics = anchor && newAnchor ? diagnosticsAfter.map((d) => movedDiagnostic(d, anchor, newAnchor)) : diagnosticsAfter;
  if (anchor && newAnchor) moveItems(movedItems, commentsAfter, anchor, newAnchor);
  const windowDiagnostics = window.diagnostics.filter((d) => d.range.start.offset >= windowStart && d.range.end.offset <= windowEnd);
  const replaced: ReparsedWindow = {
    before,
    start: windowStart,
    oldEnd: oldWindowEnd,
    newEnd: windowEnd,
    removed: items.slice(kept, moved),
    added: window.ast.body,
    oldAnchor: anchor,
    newAnchor,
    diagnostics: windowDiagnostics,
  };
  const parsed: ParseResult = {
    target: previous.target,
    ast: {
      ...previous.ast,
      shebang: windowStart === 0 ? window.ast.shebang : previous.ast.shebang,
      body: [...items.slice(0, kept), ...window.ast.body, ...movedItems],
      comments: [...commentsBefore, ...window.ast.comments, ...commentsAfter],
      range: { start: windowStart === 0 ? window.ast.range.start : previous.ast.range.start, end },
    },
    diagnostics: [...diagnosticsBefore, ...windowDiagnostics, ...movedDiagnostics],
  };
  return { parsed, window: replaced };
}

/**
 * The diagnostics of parsing the stretch of `text` from `start` (at `startPosition`) to `end` alone,
 * as reparse parses it; undefined when the stretch is not a run of whole items (an item leaves it).
 */
export function stretchDiagnostics(text: string, start: number, startPosition: Position, end: number, target: Release): Diagnostic[] | undefined {
  const stretch = parseWindow(text, start, startPosition, end, target);
  if (stretch.ast.body.some((item) => item.range.start.offset < start || item.range.end.offset > end)) return undefined;
  return stretch.diagnostics.filter((d) => d.range.start.offset >= start && d.range.end.offset <= end);
}

/**
 * The items of `text` from `start` to `end`, with their positions in `text`. The stretch is parsed
 * alone and its positions moved to where it starts: blanking the text before it would make the
 * parser scan up to megabytes of spaces on every edit. Only where the stretch's first line holds a
 * `#` (a directive or shebang is read only at the start of a line, which a stretch starting
 * mid-line would fake) is the text before it blanked instead.
 */
function parseWindow(text: string, start: number, startPosition: Position, end: number, target: Release): ParseResult {
  const stretch = text.slice(start, end);
  const lineEnd = text.indexOf("\n", start);
  const firstLine = text.slice(start, lineEnd === -1 ? end : Math.min(end, lineEnd));
  if (start === 0 || firstLine.includes("#")) return parse(blankBefore(text, start) + stretch, { target });
  const window = parse(stretch, { target });
  moveAll([window.ast.body, window.ast.comments, window.diagnostics], { offset: 0, line: 1, column: 1 }, startPosition);
  return window;
}

/** The first `end` characters of `text` as spaces, line ends kept (columns count characters, only LF breaks a line). */
function blankBefore(text: string, end: number): string {
  return text.slice(0, end).replace(/[^\n]/g, " ");
}

/**
 * The parser's position of `offset` in `text` (1-based line, only LF breaks a line, and column),
 * counted on from the position `from` of an earlier offset.
 */
export function positionAfter(text: string, from: Position, offset: number): Position {
  let line = from.line;
  let lineStart = -1;
  for (let i = text.indexOf("\n", from.offset); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset, line, column: lineStart === -1 ? from.column + (offset - from.offset) : offset - lineStart + 1 };
}

/** How many characters `a` and `b` share at their start (at most `limit`), compared a block at a time. */
export function commonPrefix(a: string, b: string, limit: number): number {
  let n = 0;
  for (let block = 4096; n + block <= limit && a.slice(n, n + block) === b.slice(n, n + block); ) n += block;
  while (n < limit && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/** How many characters `a` and `b` share at their end (at most `limit`). */
export function commonSuffix(a: string, b: string, limit: number): number {
  let n = 0;
  for (let block = 4096; n + block <= limit && a.slice(a.length - n - block, a.length - n) === b.slice(b.length - n - block, b.length - n); ) n += block;
  while (n < limit && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

/** Every distinct position object of an item, collected once: later edits move the same item again. */
const itemPositions = new WeakMap<object, Position[]>();

/** Lists the items' positions now (while the server is idle) rather than on the first edit that moves them. */
export function preparePositions(items: readonly TopLevel[]): void {
  for (const item of items) positionsOf(item);
}

function positionsOf(item: object): Position[] {
  let positions = itemPositions.get(item);
  if (!positions) itemPositions.set(item, (positions = collectPositions([item])));
  return positions;
}

/**
 * Moves the items and comments after an edit from `oldAnchor`'s frame to `newAnchor`'s (see
 * moveAll). Items and comments share no position objects; each item's own are listed once and
 * kept, so an edit costs a pass over numbers rather than a walk of half the tree.
 */
function moveItems(items: readonly object[], comments: readonly Comment[], oldAnchor: Position, newAnchor: Position): void {
  const move = shifter(oldAnchor, newAnchor);
  if (!move) return;
  for (const item of items) for (const position of positionsOf(item)) move(position);
  for (const comment of comments) {
    move(comment.range.start);
    if (comment.range.end !== comment.range.start) move(comment.range.end);
  }
}

/** A diagnostic after the edit, as a copy: its positions may be a node's, which moveItems moves. */
function movedDiagnostic(d: Diagnostic, oldAnchor: Position, newAnchor: Position): Diagnostic {
  if (!shifter(oldAnchor, newAnchor)) return d;
  const move = positionMover(oldAnchor, newAnchor);
  return { ...d, range: { start: move(d.range.start), end: move(d.range.end) } };
}

/** A moved copy of a position, as moveItems moves it in place: text from `oldAnchor` on is unchanged and now starts at `newAnchor`. */
export function positionMover(oldAnchor: Position, newAnchor: Position): (p: Position) => Position {
  const move = shifter(oldAnchor, newAnchor);
  return (p) => {
    const copy = { offset: p.offset, line: p.line, column: p.column };
    move?.(copy);
    return copy;
  };
}

/** Moves one position in place from `oldAnchor`'s frame to `newAnchor`'s; undefined when nothing moves. */
function shifter(oldAnchor: Position, newAnchor: Position): ((p: Position) => void) | undefined {
  const offsetShift = newAnchor.offset - oldAnchor.offset;
  const lineShift = newAnchor.line - oldAnchor.line;
  const columnShift = newAnchor.column - oldAnchor.column;
  const anchorLine = oldAnchor.line;
  if (offsetShift === 0 && lineShift === 0 && columnShift === 0) return undefined;
  return (position) => {
    if (position.line === anchorLine) position.column += columnShift;
    position.offset += offsetShift;
    position.line += lineShift;
  };
}

/**
 * Moves every position object reachable from `roots` (nodes, attach-point parts, diagnostics),
 * each once even when shared, from `oldAnchor`'s frame to `newAnchor`'s: the text from the anchor
 * on is unchanged, so offsets and lines move by the anchor's shift, and columns too on its line.
 */
function moveAll(roots: unknown[], oldAnchor: Position, newAnchor: Position): void {
  const move = shifter(oldAnchor, newAnchor);
  if (move) for (const position of collectPositions(roots)) move(position);
}

/** Every distinct position object reachable from `roots`. */
function collectPositions(roots: unknown[]): Position[] {
  // The tree shares no nodes, but positions are shared (a parent's range and its first child's
  // start, a token's end): each must move once. A position seen is marked by a negative offset
  // (offsets are never negative) and restored in a second pass, which costs far less than a Set of
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
  for (let i = 0; i < positions.length; i++) positions[i].offset = offsets[i];
  return positions;
}
