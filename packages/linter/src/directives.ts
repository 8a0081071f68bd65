/**
 * Suppression comments:
 *   // bt-lint-disable-next-line rule-a, rule-b
 *   // bt-lint-disable-line rule-a
 *   // bt-lint-disable rule-a        … // bt-lint-enable rule-a
 *   // bt-lint-disable-file rule-a   (whole file)
 * Without rule ids a directive applies to every rule. Unknown rule ids are reported.
 */
import type { Comment, Range } from "@bt/parser";

export interface Directive {
  kind: "disable-next-line" | "disable-line" | "disable" | "enable" | "disable-file";
  /** Empty = all rules. */
  rules: { id: string; range: Range }[];
  comment: Comment;
  line: number;
}

const RE = /^(?:\/\/|\/\*)\s*bt-lint-(disable-next-line|disable-line|disable-file|disable|enable)\b([^*]*)/;

export function parseDirectives(comments: Comment[]): Directive[] {
  const out: Directive[] = [];
  for (const c of comments) {
    const m = RE.exec(c.text);
    if (!m) continue;
    const kind = m[1] as Directive["kind"];
    const listStart = c.text.indexOf(m[2], m[0].length - m[2].length);
    const rules: Directive["rules"] = [];
    // Everything after ` -- ` is a free-text reason (ESLint convention).
    const list = m[2].split(/\s--\s/)[0];
    const re = /[A-Za-z0-9_-]+/g;
    let r: RegExpExecArray | null;
    while ((r = re.exec(list))) {
      const startCol = c.range.start.column + listStart + r.index;
      const startOff = c.range.start.offset + listStart + r.index;
      // Directive comments are single-line for the purpose of positions.
      rules.push({
        id: r[0],
        range: {
          start: { offset: startOff, line: c.range.start.line, column: startCol },
          end: { offset: startOff + r[0].length, line: c.range.start.line, column: startCol + r[0].length },
        },
      });
    }
    out.push({ kind, rules, comment: c, line: c.range.start.line });
  }
  return out;
}

/** Decides whether a finding of `ruleId` starting on `line` is suppressed. */
export function createSuppressor(directives: Directive[]): (ruleId: string, line: number) => boolean {
  const fileWide = new Set<string>();
  let fileAll = false;
  const lineRules = new Map<number, Set<string> | "all">();
  const ranges: { kind: "disable" | "enable"; line: number; rules: string[] }[] = [];
  const addLine = (line: number, ids: string[]) => {
    if (ids.length === 0) return lineRules.set(line, "all");
    const cur = lineRules.get(line);
    if (cur === "all") return;
    const set = cur ?? new Set<string>();
    ids.forEach((i) => set.add(i));
    lineRules.set(line, set);
  };
  for (const d of directives) {
    const ids = d.rules.map((r) => r.id);
    switch (d.kind) {
      case "disable-file":
        if (ids.length === 0) fileAll = true;
        ids.forEach((i) => fileWide.add(i));
        break;
      case "disable-next-line":
        addLine(d.comment.range.end.line + 1, ids);
        break;
      case "disable-line":
        addLine(d.line, ids);
        break;
      case "disable":
      case "enable":
        ranges.push({ kind: d.kind, line: d.line, rules: ids });
        break;
    }
  }
  ranges.sort((a, b) => a.line - b.line);
  return (ruleId, line) => {
    if (fileAll || fileWide.has(ruleId)) return true;
    const l = lineRules.get(line);
    if (l === "all" || l?.has(ruleId)) return true;
    let disabled = false;
    for (const r of ranges) {
      if (r.line > line) break;
      if (r.rules.length === 0 || r.rules.includes(ruleId)) disabled = r.kind === "disable";
    }
    return disabled;
  };
}
