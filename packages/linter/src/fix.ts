import type { Finding, FixEdit } from "./types.ts";

/**
 * Applies the fixes of `findings` to `text`, ESLint style: fixes are taken in source order and a
 * fix that overlaps one already taken is skipped (run again to apply it). Returns the new text and
 * how many fixes were applied.
 */
export function applyFixes(text: string, findings: Finding[]): { text: string; applied: number } {
  const fixes = findings
    .filter((f) => f.fix && f.fix.edits.length > 0)
    .map((f) => {
      const edits = [...f.fix!.edits].sort((a, b) => a.range.start.offset - b.range.start.offset);
      return { edits, start: edits[0].range.start.offset, end: Math.max(...edits.map((e) => e.range.end.offset)) };
    })
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const taken: FixEdit[] = [];
  let lastEnd = -1;
  let applied = 0;
  for (const fix of fixes) {
    // ESLint semantics: a fix touching or overlapping the previous one waits for the next pass.
    if (lastEnd >= fix.start) continue;
    // Edits of one fix must not overlap each other.
    let ok = true;
    for (let i = 1; i < fix.edits.length; i++) {
      if (fix.edits[i].range.start.offset < fix.edits[i - 1].range.end.offset) ok = false;
    }
    if (!ok) continue;
    taken.push(...fix.edits);
    lastEnd = fix.end;
    applied++;
  }
  let out = "";
  let pos = 0;
  for (const e of taken) {
    out += text.slice(pos, e.range.start.offset) + e.text;
    pos = e.range.end.offset;
  }
  out += text.slice(pos);
  return { text: out, applied };
}
