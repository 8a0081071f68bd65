import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type ServerCapabilities,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver";
import { LATEST_RELEASE } from "@bt/parser";
import { StaleLint } from "../background-lint.ts";
import type { Analysis } from "../documents.ts";
import { disableForFile, disableForLine, NOT_SUPPRESSIBLE } from "../directives.ts";
import { toLspRange } from "../positions.ts";
import type { BtLanguageServer } from "../server.ts";
import { wholeDocumentEdit } from "../text-edits.ts";
import type { LintFinding } from "../tools.ts";
import { filePathOf } from "../uri.ts";
import type { CheckedDiagnostic } from "./diagnostics.ts";

/**
 * Code actions: a quick fix per linter finding with an exact fix in the requested range, and
 * "disable this rule for this line / for this file" (bt-lint-disable directives) for every
 * finding there; `source.fixAll.bt` applying every non-overlapping fix of the document; and
 * "rewrite this file for bpftrace X" (the target, and the newest release when that differs),
 * applying every exact fix the linter finds for X, pass after pass until none is left. The
 * rewrite is computed when the action is resolved, so listing actions stays cheap.
 */

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.bt`;
export const REWRITE_KIND = `${CodeActionKind.Source}.rewrite.bt`;
/** A fix can make another one possible (or overlapped it): stop after this many passes. */
const MAX_REWRITE_PASSES = 10;

interface RewriteData {
  uri: string;
  version: number;
  release: string;
}

export function capabilities(server: BtLanguageServer): ServerCapabilities {
  return {
    codeActionProvider: {
      codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, REWRITE_KIND],
      ...(canResolveEdits(server) ? { resolveProvider: true } : {}),
    },
  };
}

export function register(server: BtLanguageServer): void {
  server.connection.onCodeAction((params) => provideCodeActions(server, params));
  server.connection.onCodeActionResolve((action) => resolveCodeAction(server, action));
}

function canResolveEdits(server: BtLanguageServer): boolean {
  return server.clientCapabilities.textDocument?.codeAction?.resolveSupport?.properties.includes("edit") === true;
}

export async function provideCodeActions(server: BtLanguageServer, params: CodeActionParams): Promise<CodeAction[] | null> {
  const analysis = server.analysis(params.textDocument.uri);
  if (!analysis) return null;
  // Recompute rather than trust the client's copy of the diagnostics: fixes are keyed to
  // exactly this version of the text.
  let checked: CheckedDiagnostic[];
  try {
    checked = (await server.diagnostics.check(analysis)).items;
  } catch (error) {
    if (error instanceof StaleLint) return null; // the document changed meanwhile
    throw error;
  }
  // Edits are offsets into this version of the text.
  if (server.documents.get(params.textDocument.uri)?.version !== analysis.version) return null;
  const fixable = checked.filter((i) => i.finding?.fix && i.finding.fix.edits.length > 0);
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  const uri = params.textDocument.uri;

  const doc = analysis.document;
  const from = doc.offsetAt(params.range.start);
  const to = doc.offsetAt(params.range.end);
  const inRange = (item: CheckedDiagnostic) => !(doc.offsetAt(item.diagnostic.range.end) < from || doc.offsetAt(item.diagnostic.range.start) > to);
  if (wants(CodeActionKind.QuickFix)) {
    for (const item of fixable) {
      if (!inRange(item)) continue;
      actions.push({
        title: fixTitle(item.finding!),
        kind: CodeActionKind.QuickFix,
        diagnostics: [matchClientDiagnostic(params.context.diagnostics, item.diagnostic)],
        isPreferred: true,
        edit: { changes: { [uri]: edits(analysis, item.finding!) } },
      });
    }
  }

  if (wants(CodeActionKind.QuickFix)) {
    const rules = new Set<string>();
    for (const item of checked) {
      const rule = item.finding?.ruleId;
      if (!rule || NOT_SUPPRESSIBLE.has(rule) || !inRange(item) || rules.has(rule)) continue;
      rules.add(rule);
      const diagnostics = [matchClientDiagnostic(params.context.diagnostics, item.diagnostic)];
      actions.push(
        { title: `Disable ${rule} for this line`, kind: CodeActionKind.QuickFix, diagnostics, edit: { changes: { [uri]: [disableForLine(analysis, item.finding!.range.start.offset, rule)] } } },
        { title: `Disable ${rule} for this file`, kind: CodeActionKind.QuickFix, diagnostics, edit: { changes: { [uri]: [disableForFile(analysis, rule)] } } },
      );
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

  // Only on request: a rewrite is a whole-file change, not a suggestion for the cursor.
  if (only && wants(REWRITE_KIND) && server.options.lint) {
    const releases = [...new Set([analysis.target, LATEST_RELEASE])];
    for (const release of releases) {
      const data: RewriteData = { uri, version: analysis.version, release };
      const action: CodeAction = { title: `Rewrite this file for bpftrace ${release}`, kind: REWRITE_KIND, data };
      if (!canResolveEdits(server)) action.edit = rewriteEdit(server, analysis, release);
      actions.push(action);
    }
  }
  return actions;
}

export function resolveCodeAction(server: BtLanguageServer, action: CodeAction): CodeAction {
  const data = action.data as RewriteData | undefined;
  if (action.kind !== REWRITE_KIND || !data) return action;
  const analysis = server.analysis(data.uri);
  // The file changed since the action was offered: leave it without an edit (clients then do nothing).
  if (!analysis || analysis.version !== data.version) return action;
  return { ...action, edit: rewriteEdit(server, analysis, data.release) };
}

/** Every exact fix the linter finds for `release`, applied pass after pass. */
function rewriteEdit(server: BtLanguageServer, analysis: Analysis, release: string): WorkspaceEdit {
  const lint = server.options.lint!;
  const filePath = filePathOf(analysis.document.uri);
  let text = analysis.text;
  for (let pass = 0; pass < MAX_REWRITE_PASSES; pass++) {
    const next = applyNonOverlapping(text, lint(text, { target: release, filePath }).findings);
    if (next === text) break;
    text = next;
  }
  const edit = wholeDocumentEdit(analysis.document, analysis.text, text);
  return { changes: { [analysis.document.uri]: edit ? [edit] : [] } };
}

/** The text with every fix that does not overlap an earlier one applied. */
function applyNonOverlapping(text: string, findings: LintFinding[]): string {
  const edits: { start: number; end: number; text: string }[] = [];
  const sorted = findings.filter((f) => f.fix && f.fix.edits.length > 0).sort((a, b) => start(a) - start(b));
  for (const finding of sorted) {
    const spans = finding.fix!.edits.map((e) => ({ start: e.range.start.offset, end: e.range.end.offset, text: e.text }));
    if (spans.some((s) => edits.some((t) => s.start < t.end && t.start < s.end) || edits.some((t) => s.start === t.start && s.end === t.end))) continue;
    edits.push(...spans);
  }
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
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
