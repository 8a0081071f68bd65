import type { Diagnostic as ParserDiagnostic } from "@bt/parser";
import { DiagnosticSeverity, type Diagnostic } from "vscode-languageserver";
import type { Analysis } from "../documents.ts";
import { toLspRange } from "../positions.ts";
import type { BtLanguageServer } from "../server.ts";
import type { LintFinding } from "../tools.ts";
import { filePathOf } from "../uri.ts";

export const SOURCE = "bt";

/** A published diagnostic and the linter finding behind it (code actions read its fix). */
export interface CheckedDiagnostic {
  diagnostic: Diagnostic;
  finding?: LintFinding;
}

export interface CheckResult {
  version: number;
  target: string;
  items: CheckedDiagnostic[];
}

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
} as const;

/**
 * Diagnostics: the linter's findings (which include the parser's) or, without a linter, the
 * parser's own diagnostics. Pushed with `textDocument/publishDiagnostics`, debounced per
 * document so typing does not re-check on every keystroke.
 */
export class DiagnosticsFeature {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly results = new Map<string, CheckResult>();
  private readonly open = new Set<string>();

  constructor(private readonly server: BtLanguageServer) {}

  register(): void {
    const { documents } = this.server;
    // Fired for didOpen too: check a newly opened document at once, debounce edits.
    documents.onDidChangeContent((e) => {
      const { uri } = e.document;
      this.schedule(uri, this.open.has(uri) ? (this.server.options.debounceMs ?? 200) : 0);
      this.open.add(uri);
    });
    documents.onDidClose((e) => {
      this.cancel(e.document.uri);
      this.open.delete(e.document.uri);
      this.results.delete(e.document.uri);
      void this.server.connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
  }

  /** Re-check every open document (the target changed). */
  revalidateAll(): void {
    for (const document of this.server.documents.all()) this.schedule(document.uri, 0);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** The diagnostics of the current version of a document, computing them if needed. */
  check(analysis: Analysis): CheckResult {
    const { document } = analysis;
    const cached = this.results.get(document.uri);
    if (cached && cached.version === analysis.version && cached.target === analysis.target) return cached;
    const result: CheckResult = { version: analysis.version, target: analysis.target, items: this.compute(analysis) };
    this.results.set(document.uri, result);
    return result;
  }

  private schedule(uri: string, delay: number): void {
    this.cancel(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.publish(uri);
      }, delay),
    );
  }

  private cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }

  private async publish(uri: string): Promise<void> {
    await this.server.ready;
    const analysis = this.server.analysis(uri);
    if (!analysis) return;
    const { items } = this.check(analysis);
    await this.server.connection.sendDiagnostics({
      uri,
      version: analysis.version,
      diagnostics: items.map((i) => i.diagnostic),
    });
  }

  private compute(analysis: Analysis): CheckedDiagnostic[] {
    const { document } = analysis;
    const parserItems = analysis.parsed.diagnostics.map((d) => ({ diagnostic: fromParser(analysis, d) }));
    const lint = this.server.options.lint;
    if (!lint) return parserItems;
    let findings: LintFinding[];
    try {
      // analysis.parsed is the parse of exactly analysis.text at analysis.target: no second parse.
      findings = lint(analysis.text, { target: analysis.target, filePath: filePathOf(document.uri) }, analysis.parsed).findings;
    } catch (error) {
      // A linter bug must not take the parser's diagnostics down with it.
      this.server.log(`the linter failed on ${document.uri}: ${(error as Error).message}; showing parser diagnostics only`);
      return parserItems;
    }
    const items: CheckedDiagnostic[] = findings.map((finding) => ({ diagnostic: fromFinding(analysis, finding), finding }));
    // The linter reports parser diagnostics itself (rules `syntax`, `version-compat`); add the
    // parser's only where the linter said nothing at the same place.
    const seen = new Set(items.map((i) => key(i.diagnostic)));
    for (const item of parserItems) if (!seen.has(key(item.diagnostic))) items.push(item);
    return items.sort(
      (a, b) =>
        a.diagnostic.range.start.line - b.diagnostic.range.start.line || a.diagnostic.range.start.character - b.diagnostic.range.start.character,
    );
  }
}

function key(d: Diagnostic): string {
  return `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`;
}

function fromParser(analysis: Analysis, d: ParserDiagnostic): Diagnostic {
  return {
    range: toLspRange(analysis.document, d.range),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: SOURCE,
    message: d.message,
  };
}

function fromFinding(analysis: Analysis, f: LintFinding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toLspRange(analysis.document, f.range),
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Warning,
    code: f.ruleId,
    source: SOURCE,
    message: f.message,
  };
  if (f.docsUrl) diagnostic.codeDescription = { href: f.docsUrl };
  return diagnostic;
}
