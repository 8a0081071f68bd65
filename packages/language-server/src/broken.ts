import type { Diagnostic, ParseResult, Range } from "@bt/parser";
import { scanCode } from "./lexical.ts";

/**
 * Parser diagnostics that mean the text there is not a program (see Diagnostic#code); the same
 * codes make bt-lint skip its rules.
 */
const UNREADABLE: ReadonlySet<Diagnostic["code"]> = new Set<Diagnostic["code"]>(["lex", "syntax", "literal", "input"]);

/** The diagnostic says the grammar could not read the text there. */
export function unreadable(d: Diagnostic): boolean {
  return d.severity === "error" && UNREADABLE.has(d.code);
}

/** The parse without its grammar errors: the recovered tree, presented as a program that parsed. */
export function readablePart(parsed: ParseResult): ParseResult {
  return { ...parsed, diagnostics: parsed.diagnostics.filter((d) => !unreadable(d)) };
}

/** A stretch of text the parser could not read, and the diagnostic that says so. */
export interface Span {
  start: number;
  end: number;
  diagnostic: Diagnostic;
}

/**
 * The unreadable parts of a document: for each grammar error, from the statement boundary
 * (`;`, `{` or `}` in code) before it to the end of the line it ends on. Typing `print(@` leaves
 * the rest of the file readable; only what overlaps these spans is doubtful.
 */
export function brokenSpans(text: string, diagnostics: Diagnostic[]): Span[] {
  const errors = diagnostics.filter(unreadable);
  if (errors.length === 0) return [];
  const last = errors.reduce((max, d) => Math.max(max, d.range.start.offset), 0);
  const boundaries: number[] = [];
  scanCode(text, last, (char, index) => {
    if (char === ";" || char === "{" || char === "}") boundaries.push(index);
  });
  return errors.map((diagnostic) => {
    const before = lastBelow(boundaries, diagnostic.range.start.offset);
    const lineEnd = text.indexOf("\n", diagnostic.range.end.offset);
    return { start: before === undefined ? 0 : before + 1, end: lineEnd === -1 ? text.length : lineEnd, diagnostic };
  });
}

/**
 * Whether a finding is doubtful: it overlaps a broken span without being the report of that
 * span's own grammar error.
 */
export function inBrokenPart(finding: { range: Range; message: string }, spans: Span[]): boolean {
  return spans.some(
    (s) =>
      finding.range.start.offset <= s.end &&
      s.start <= finding.range.end.offset &&
      !(finding.message === s.diagnostic.message && finding.range.start.offset === s.diagnostic.range.start.offset && finding.range.end.offset === s.diagnostic.range.end.offset),
  );
}

/** The largest value in the ascending `sorted` that is below `limit`. */
function lastBelow(sorted: number[], limit: number): number | undefined {
  const below = countBelow(sorted, limit);
  return below > 0 ? sorted[below - 1] : undefined;
}

/** How many values of the ascending `sorted` are below `limit`. */
export function countBelow(sorted: ArrayLike<number>, limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
