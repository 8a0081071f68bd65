import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type ServerCapabilities,
  type TextEdit,
} from "vscode-languageserver";
import type { Analysis } from "../documents.ts";
import { toLspRange } from "../positions.ts";
import type { BtLanguageServer } from "../server.ts";
import type { LintFinding } from "../tools.ts";
import type { CheckedDiagnostic } from "./diagnostics.ts";

/**
 * Quick fixes: one action per linter finding with an exact fix in the requested range, plus
 * `source.fixAll.bt` applying every non-overlapping fix of the document.
 */

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.bt`;

export function capabilities(): ServerCapabilities {
  return { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] } };
}

export function register(server: BtLanguageServer): void {
  server.connection.onCodeAction((params) => provideCodeActions(server, params));
}

export function provideCodeActions(server: BtLanguageServer, params: CodeActionParams): CodeAction[] | null {
  const analysis = server.analysis(params.textDocument.uri);
  if (!analysis) return null;
  // Recompute rather than trust the client's copy of the diagnostics: fixes are keyed to
  // exactly this version of the text.
  const fixable = server.diagnostics.check(analysis).items.filter((i) => i.finding?.fix && i.finding.fix.edits.length > 0);
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  const uri = params.textDocument.uri;

  if (wants(CodeActionKind.QuickFix)) {
    const doc = analysis.document;
    const from = doc.offsetAt(params.range.start);
    const to = doc.offsetAt(params.range.end);
    for (const item of fixable) {
      const r = item.diagnostic.range;
      if (doc.offsetAt(r.end) < from || doc.offsetAt(r.start) > to) continue;
      actions.push({
        title: fixTitle(item.finding!),
        kind: CodeActionKind.QuickFix,
        diagnostics: [matchClientDiagnostic(params.context.diagnostics, item.diagnostic)],
        isPreferred: true,
        edit: { changes: { [uri]: edits(analysis, item.finding!) } },
      });
    }
  }

  if (wants(FIX_ALL_KIND) && fixable.length > 0 && (only || fixable.length > 1)) {
    const all = nonOverlapping(analysis, fixable);
    actions.push({
      title: `Fix all auto-fixable bt problems (${all.count})`,
      kind: FIX_ALL_KIND,
      edit: { changes: { [uri]: all.edits } },
    });
  }
  return actions;
}

function fixTitle(finding: LintFinding): string {
  return `Fix: ${finding.message} (${finding.ruleId})`;
}

function edits(analysis: Analysis, finding: LintFinding): TextEdit[] {
  return finding.fix!.edits.map((e) => ({ range: toLspRange(analysis.document, e.range), newText: e.text }));
}

/** Prefer the diagnostic object the client sent (same range, code and message). */
function matchClientDiagnostic(sent: Diagnostic[], ours: Diagnostic): Diagnostic {
  return (
    sent.find(
      (d) =>
        d.code === ours.code &&
        d.message === ours.message &&
        d.range.start.line === ours.range.start.line &&
        d.range.start.character === ours.range.start.character,
    ) ?? ours
  );
}

/** Every fix whose edits do not overlap an earlier accepted fix (ESLint's multipass, one pass). */
function nonOverlapping(analysis: Analysis, items: CheckedDiagnostic[]): { edits: TextEdit[]; count: number } {
  const taken: [number, number][] = [];
  const out: TextEdit[] = [];
  let count = 0;
  const sorted = [...items].sort((a, b) => start(a.finding!) - start(b.finding!));
  for (const item of sorted) {
    const spans = item.finding!.fix!.edits.map((e) => [e.range.start.offset, e.range.end.offset] as [number, number]);
    if (spans.some(([s, e]) => taken.some(([ts, te]) => s < te && ts < e))) continue;
    taken.push(...spans);
    out.push(...edits(analysis, item.finding!));
    count++;
  }
  return { edits: out, count };
}

function start(f: LintFinding): number {
  return Math.min(...f.fix!.edits.map((e) => e.range.start.offset));
}
