import { diffLines } from "diff";
import type { TextEdit } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";

/**
 * Turning a new text into edits of a document. A line diff keeps cursors, marks and folds
 * outside the changed lines in place, but Myers' diff costs O(lines × changes): formatting a
 * big file that changes almost every line took seconds. So the common first and last lines are
 * trimmed first (cheap), and the line diff runs only while it finds few changes; beyond that the
 * changed middle becomes one edit.
 */

/** A line diff that finds more changed lines than this gives up (about 0.1 s on 10,000 lines). */
const MAX_DIFF_CHANGES = 500;

export interface OffsetEdit {
  start: number;
  end: number;
  edit: TextEdit;
}

/** One edit replacing what differs between `before` and `after` (common prefix and suffix kept). */
export function wholeDocumentEdit(document: TextDocument, before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < max - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // Never cut a surrogate pair in half.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return {
    range: { start: document.positionAt(start), end: document.positionAt(before.length - suffix) },
    newText: after.slice(start, after.length - suffix),
  };
}

/** Whole-line edits turning `before` into `after`: minimal while the changes are few, else one edit of the changed lines. */
export function lineEdits(document: TextDocument, before: string, after: string): OffsetEdit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const startOffset = a.slice(0, head).reduce((n, line) => n + line.length, 0);
  const middleBefore = a.slice(head, a.length - tail).join("");
  const middleAfter = b.slice(head, b.length - tail).join("");
  const edit = (start: number, end: number, newText: string): OffsetEdit => ({
    start,
    end,
    edit: { range: { start: document.positionAt(start), end: document.positionAt(end) }, newText },
  });
  const parts = diffLines(middleBefore, middleAfter, { maxEditLength: MAX_DIFF_CHANGES });
  if (!parts) return [edit(startOffset, startOffset + middleBefore.length, middleAfter)];

  const edits: OffsetEdit[] = [];
  let offset = startOffset;
  let pending: { start: number; end: number; text: string } | undefined;
  const flush = () => {
    if (pending) edits.push(edit(pending.start, pending.end, pending.text));
    pending = undefined;
  };
  for (const part of parts) {
    if (part.added) {
      pending ??= { start: offset, end: offset, text: "" };
      pending.text += part.value;
    } else if (part.removed) {
      pending ??= { start: offset, end: offset, text: "" };
      offset += part.value.length;
      pending.end = offset;
    } else {
      flush();
      offset += part.value.length;
    }
  }
  flush();
  return edits;
}

/** Lines with their line ends (`\n` or `\r\n`), so that joining them gives the text back. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
