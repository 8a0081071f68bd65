import type { TextEdit } from "vscode-languageserver";
import type { Analysis } from "./documents.ts";

/**
 * Writing bt-lint suppression comments (the syntax bt-lint reads, packages/linter/src/directives.ts):
 * `// bt-lint-disable-next-line rule-a, rule-b` above a line, `// bt-lint-disable-file rule-a`
 * for the whole file. An existing directive of the same kind in the same place gets the rule
 * added to its list instead of a second comment.
 */

/** Findings bt-lint reports whatever the directives say. */
export const NOT_SUPPRESSIBLE: ReadonlySet<string> = new Set(["syntax", "invalid-directive"]);

const NEXT_LINE = /^(\s*\/\/\s*bt-lint-disable-next-line)(\s+[A-Za-z0-9_,\s-]*?)?(\s+--\s.*)?\s*$/;
const FILE = /^(\s*\/\/\s*bt-lint-disable-file)(\s+[A-Za-z0-9_,\s-]*?)?(\s+--\s.*)?\s*$/;

/** Suppress `rule` on the line holding `offset`. */
export function disableForLine(analysis: Analysis, offset: number, rule: string): TextEdit {
  const { document, text } = analysis;
  const line = document.positionAt(offset).line;
  const lineStart = document.offsetAt({ line, character: 0 });
  if (line > 0) {
    const above = lineText(text, document.offsetAt({ line: line - 1, character: 0 }));
    const extended = addRule(above, NEXT_LINE, rule);
    if (extended !== undefined) return replaceLine(analysis, line - 1, extended);
  }
  const indent = /^[ \t]*/.exec(lineText(text, lineStart))![0];
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}// bt-lint-disable-next-line ${rule}\n` };
}

/** Suppress `rule` in the whole file: at the top, below a `#!` line. */
export function disableForFile(analysis: Analysis, rule: string): TextEdit {
  const { document, text } = analysis;
  const first = text.startsWith("#!") ? 1 : 0;
  // Reuse a file directive among the leading comment lines.
  for (let line = first; line < document.lineCount; line++) {
    const content = lineText(text, document.offsetAt({ line, character: 0 }));
    if (!/^\s*\/\//.test(content)) break;
    const extended = addRule(content, FILE, rule);
    if (extended !== undefined) return replaceLine(analysis, line, extended);
  }
  return { range: { start: { line: first, character: 0 }, end: { line: first, character: 0 } }, newText: `// bt-lint-disable-file ${rule}\n` };
}

function lineText(text: string, lineStart: number): string {
  const end = text.indexOf("\n", lineStart);
  return text.slice(lineStart, end === -1 ? text.length : end).replace(/\r$/, "");
}

/** The directive line with `rule` added, or undefined when the line is not that directive (or disables every rule already). */
function addRule(line: string, directive: RegExp, rule: string): string | undefined {
  const m = directive.exec(line);
  if (!m) return undefined;
  const rules = (m[2] ?? "").split(/[\s,]+/).filter(Boolean);
  if (rules.length === 0 || rules.includes(rule)) return line;
  return `${m[1]} ${[...rules, rule].join(", ")}${m[3] ?? ""}`;
}

function replaceLine(analysis: Analysis, line: number, newText: string): TextEdit {
  const start = analysis.document.offsetAt({ line, character: 0 });
  return { range: { start: { line, character: 0 }, end: analysis.document.positionAt(start + lineText(analysis.text, start).length) }, newText };
}
