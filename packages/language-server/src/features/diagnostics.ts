import { MAX_NESTING, needsLargeStack, scanNestingDepth, type Diagnostic as ParserDiagnostic } from "@bt/parser";
import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type Position,
  type ServerCapabilities,
} from "vscode-languageserver";
import type { Analysis } from "../documents.ts";
import { StaleLint } from "../background-lint.ts";
import { brokenSpans, inBrokenPart } from "../broken.ts";
import { preparePositions, stretchDiagnostics } from "../incremental.ts";
import { LintSnapshot, compareDiagnostics, compareFindings, isBody, merge, sameValue, warmingLints } from "../incremental-lint.ts";
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
  /** Identifies this result for pull diagnostics (`previousResultId`). */
  id: string;
  version: number;
  target: string;
  items: CheckedDiagnostic[];
}

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
} as const;

/** Lets queued messages (a newer edit, a hover) run before the next slice of checking. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Diagnostics: the linter's findings (which include the parser's) or, without a linter, the
 * parser's own diagnostics.
 *
 * Clients that can pull (`textDocument/diagnostic`, e.g. Neovim ≥ 0.11) get nothing pushed, so
 * they never show a document's problems twice; the others get `publishDiagnostics`, debounced
 * per document by `bt.diagnosticsDelayMs`, once per (version, target).
 *
 * Checking yields to the event loop between the parse and the lint and drops out when the
 * document changed meanwhile, so requests never wait behind the analysis of a stale version.
 */
export class DiagnosticsFeature {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly results = new Map<string, { version: number; target: string; result: Promise<CheckResult> }>();
  /** The last check that finished, per document: a next one with exactly its diagnostics keeps its id (pull's `unchanged`). */
  private readonly lastResults = new Map<string, CheckResult>();
  private readonly pushed = new Map<string, string>();
  private readonly open = new Set<string>();
  /** The last lint of each document, per item, for linting the next version incrementally. */
  private readonly snapshots = new Map<string, LintSnapshot>();
  private readonly conversions = new WeakMap<object, Diagnostic>();
  /** The LSP form of a snapshot item's findings (the list's own object), and where the item started then. */
  private readonly groupConversions = new WeakMap<readonly LintFinding[], GroupConversion>();
  private generation = 0;
  /** How much more text the warm-up may lint in this server's life: compiled code stays compiled. */
  private warmUpChars = WARM_UP_CHARS;

  constructor(private readonly server: BtLanguageServer) {}

  capabilities(): ServerCapabilities {
    return { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } };
  }

  register(): void {
    const { documents, connection } = this.server;
    // Fired for didOpen too: check a newly opened document at once, debounce edits.
    documents.onDidChangeContent((e) => {
      const { uri } = e.document;
      if (this.pulls()) return;
      this.schedule(uri, this.open.has(uri) ? this.server.settings.diagnosticsDelayMs : 0);
      this.open.add(uri);
    });
    documents.onDidClose((e) => {
      const { uri } = e.document;
      this.cancel(uri);
      this.open.delete(uri);
      this.results.delete(uri);
      this.lastResults.delete(uri);
      this.snapshots.delete(uri);
      if (this.pushed.delete(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    });
    connection.languages.diagnostics.on((params, token) => this.pull(params, token));
  }

  /** The client asks for diagnostics itself; pushing as well would show each one twice. */
  pulls(): boolean {
    return this.server.clientCapabilities.textDocument?.diagnostic !== undefined;
  }

  /** Re-check every open document (the target changed). */
  revalidateAll(): void {
    this.results.clear();
    this.snapshots.clear();
    if (this.pulls()) {
      if (this.server.clientCapabilities.workspace?.diagnostics?.refreshSupport) void this.server.connection.languages.diagnostics.refresh();
      return;
    }
    for (const document of this.server.documents.all()) this.schedule(document.uri, 0);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /**
   * The diagnostics of an analysed version of a document, computed once. Rejects with StaleLint
   * when a newer version's check replaced it before the background linter got to it.
   */
  check(analysis: Analysis): Promise<CheckResult> {
    const { uri } = analysis.document;
    const cached = this.results.get(uri);
    if (cached && cached.version === analysis.version && cached.target === analysis.target) return cached.result;
    const result = this.compute(analysis).then((items): CheckResult => {
      // A result id names one list of diagnostics: a version whose diagnostics are exactly the
      // last check's keeps its id, so a client holding it is answered `unchanged`.
      const last = this.lastResults.get(uri);
      const id = last && sameDiagnostics(last.items, items) ? last.id : `${analysis.target}/${analysis.version}/${++this.generation}`;
      const checked = { id, version: analysis.version, target: analysis.target, items };
      if (this.server.documents.get(uri)) this.lastResults.set(uri, checked);
      return checked;
    });
    const entry = { version: analysis.version, target: analysis.target, result };
    this.results.set(uri, entry);
    result.catch(() => {
      if (this.results.get(uri) === entry) this.results.delete(uri);
    });
    return result;
  }

  private async pull(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    await this.server.ready;
    const { uri } = params.textDocument;
    const result = await this.checkLatest(uri, () => token.isCancellationRequested);
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, "cancelled");
    if (!result) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    if (params.previousResultId === result.id) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: result.id };
    return { kind: DocumentDiagnosticReportKind.Full, resultId: result.id, items: result.items.map((i) => i.diagnostic) };
  }

  /**
   * The check of the newest version of `uri`: parse, let newer messages in, lint. When an edit
   * arrives in between, the stale work is dropped and the new version checked instead.
   */
  private async checkLatest(uri: string, cancelled: () => boolean): Promise<CheckResult | undefined> {
    for (;;) {
      await yieldToEventLoop();
      if (cancelled()) return undefined;
      const analysis = this.server.analysis(uri);
      if (!analysis) return undefined;
      await yieldToEventLoop();
      if (cancelled()) return undefined;
      if (this.server.documents.get(uri)?.version !== analysis.version) continue;
      try {
        const result = await this.check(analysis);
        if (cancelled()) return undefined;
        if (this.server.documents.get(uri)?.version !== result.version) continue;
        return result;
      } catch (error) {
        if (error instanceof StaleLint) continue;
        throw error;
      }
    }
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
    // A newer edit re-arms the timer: that one will publish, this one stops.
    const result = await this.checkLatest(uri, () => this.timers.has(uri));
    if (!result || this.timers.has(uri) || !this.open.has(uri)) return;
    const key = `${result.target}/${result.version}`;
    if (this.pushed.get(uri) === key) return;
    this.pushed.set(uri, key);
    await this.server.connection.sendDiagnostics({
      uri,
      version: result.version,
      diagnostics: result.items.map((i) => i.diagnostic),
    });
  }

  /**
   * What the lint of a document depends on besides its text (target, rule configuration, the
   * machine); undefined when the server cannot lint incrementally (no linter for trees, or a
   * configuration it cannot read).
   */
  private lintSettings(analysis: Analysis): { key: string; rules: string } | undefined {
    const { lint, lintSettings } = this.server.options;
    if (!lint || !lintSettings) return undefined;
    const { uri } = analysis.document;
    try {
      const rules = lintSettings(filePathOf(uri));
      return { key: `${analysis.target}|${this.server.machine.appliesTo(uri)}|${rules}`, rules };
    } catch {
      return undefined;
    }
  }

  /**
   * The lint of `analysis` made from the last one of its document: its tree was made from that
   * version's (reparse's window), or from versions made since (the items they share tell the window).
   */
  private lintIncrementally(analysis: Analysis, { key: settings, rules }: { key: string; rules: string }): LintSnapshot | undefined {
    const { uri } = analysis.document;
    const previous = this.snapshots.get(uri);
    if (!previous) return undefined;
    if (previous.text === analysis.text && previous.settings === settings && previous.body === analysis.parsed.ast.body) return previous;
    const base = analysis.derivedFrom;
    const { text, target } = analysis;
    const window =
      base && base.body === previous.body
        ? base.window
        : previous.windowTo(text, analysis.parsed.ast.body, (start, startPosition, end) => stretchDiagnostics(text, start, startPosition, end, target));
    if (!window) return undefined;
    const lint = this.server.options.lint!;
    const machine = this.server.machine;
    const options = { target: analysis.target, filePath: filePathOf(uri), machine: machine.for(uri) };
    let next: LintSnapshot | undefined;
    try {
      next = previous.update(analysis.text, settings, analysis.parsed, window, (view, rulesOff) => lint(analysis.text, { ...options, rulesOff, settings: rules }, view).findings, MAIN_THREAD_LINT_CHARS);
    } catch (error) {
      this.server.log(`the incremental lint failed on ${uri}: ${(error as Error).message}; linting in full`);
    }
    if (options.machine) machine.reportOwn();
    if (next) this.snapshots.set(uri, next);
    else this.snapshots.delete(uri);
    return next;
  }

  /** Keeps a full lint of a version for linting the next ones incrementally; undefined when it cannot. */
  private remember(analysis: Analysis, settings: string, findings: LintFinding[], diagnostics: ParserDiagnostic[]): LintSnapshot | undefined {
    const { uri } = analysis.document;
    if (this.server.documents.get(uri)?.version !== analysis.version) return undefined;
    const snapshot = scanNestingDepth(analysis.text) > MAX_NESTING ? undefined : LintSnapshot.fromFull(analysis.text, settings, analysis.parsed, findings, diagnostics);
    if (snapshot) this.snapshots.set(uri, snapshot);
    else this.snapshots.delete(uri);
    // What the first edit of a big file would compute (the items' links and position lists), done
    // once the answer is out; not for huge files, whose position lists would cost memory before any edit.
    if (snapshot && analysis.text.length >= MAIN_THREAD_LINT_CHARS && analysis.text.length < PREPARE_CHARS) {
      setImmediate(() => {
        if (this.snapshots.get(uri) !== snapshot) return;
        snapshot.prepare();
        preparePositions(analysis.parsed.ast.body);
      });
    }
    return snapshot;
  }

  /**
   * While the worker lints a file that will be linted incrementally, lints its items a few at a
   * time on this thread (warmingLints), yielding between steps so requests go first, until the
   * worker answers or the document changes.
   */
  private async warmUp(analysis: Analysis, rules: string, done: () => boolean): Promise<void> {
    const lint = this.server.options.lint!;
    const { uri } = analysis.document;
    const options = { target: analysis.target, filePath: filePathOf(uri), machine: this.server.machine.for(uri), settings: rules };
    const steps = warmingLints(
      analysis.parsed,
      (view, rulesOff) => {
        for (const item of view.ast.body) if (isBody(item)) this.warmUpChars -= item.range.end.offset - item.range.start.offset;
        return lint(analysis.text, { ...options, rulesOff }, view).findings;
      },
      WARM_UP_SLICE_CHARS,
    );
    for (;;) {
      await yieldToEventLoop();
      if (done() || this.warmUpChars <= 0 || this.server.documents.get(uri)?.version !== analysis.version) return;
      try {
        if (steps.next().done) return;
      } catch {
        return; // a linter failure shows when the document is linted
      }
    }
  }

  /**
   * The LSP form of a finding or parse diagnostic, made once per object: the incremental lint hands
   * the same objects on for the items an edit did not move, whose line and character are unchanged.
   */
  private converted(value: object, convert: () => Diagnostic): Diagnostic {
    let diagnostic = this.conversions.get(value);
    if (!diagnostic) this.conversions.set(value, (diagnostic = convert()));
    return diagnostic;
  }

  /**
   * The LSP form of a snapshot's findings, in the snapshot's order, made item by item: an item's
   * list is converted once and kept while the item's findings are the same list; an item that
   * moved takes the LSP ranges of the findings it was moved from, shifted as its start moved (the
   * text from its start to its end is unchanged, so only lines, and characters on its first line,
   * shift), instead of converting each finding's offsets again.
   */
  private convertedGroups(analysis: Analysis, snapshot: LintSnapshot): CheckedDiagnostic[] {
    const { document } = analysis;
    const { items, loose } = snapshot.groups();
    const converted: CheckedDiagnostic[] = [];
    for (const group of items) {
      if (group.findings.length === 0) continue;
      const start = document.positionAt(group.start.offset);
      let entry = this.groupConversions.get(group.findings);
      if (!entry || entry.start.line !== start.line || entry.start.character !== start.character) {
        const from = entry ?? (group.movedFrom && this.groupConversions.get(group.movedFrom.findings));
        entry = { start, items: from ? shiftedItems(group.findings, from, start, analysis) : group.findings.map((finding) => ({ diagnostic: fromFinding(analysis, finding), finding })) };
        this.groupConversions.set(group.findings, entry);
      }
      for (const item of entry.items) converted.push(item);
    }
    if (loose.length === 0) return converted;
    const looseItems = loose.map((finding) => ({ diagnostic: this.converted(finding, () => fromFinding(analysis, finding)), finding }));
    return merge(converted, looseItems, (a, b) => compareFindings(a.finding!, b.finding!));
  }

  private async compute(analysis: Analysis): Promise<CheckedDiagnostic[]> {
    const { document } = analysis;
    const { lint, backgroundLint } = this.server.options;
    const options = { target: analysis.target, filePath: filePathOf(document.uri) };
    const machine = this.server.machine;
    let findings: LintFinding[] = [];
    let parseDiagnostics: ParserDiagnostic[] | undefined;
    let linted = false;
    // The lint below runs on this thread: let requests already waiting (a hover) go first, and
    // drop this version if an edit came with them.
    await yieldToEventLoop();
    if (this.server.documents.get(document.uri)?.version !== analysis.version) throw new StaleLint();
    const settings = this.lintSettings(analysis);
    const incremental = settings === undefined ? undefined : this.lintIncrementally(analysis, settings);
    try {
      if (incremental) {
        findings = incremental.findings;
        parseDiagnostics = incremental.diagnostics;
        linted = true;
      } else if (backgroundLint && !(lint && onThisThread(analysis.text))) {
        // The worker parses the text itself: the main thread need not parse it in full.
        let machineProblems: string[] | undefined;
        let answered = false;
        const linting = backgroundLint.lint(document.uri, analysis.text, { ...options, machine: machine.appliesTo(document.uri) });
        if (settings && lint && analysis.text.length < PREPARE_CHARS) void this.warmUp(analysis, settings.rules, () => answered);
        try {
          ({ findings, parseDiagnostics, machineProblems } = await linting);
        } finally {
          answered = true;
        }
        machine.report(machineProblems ?? []);
        linted = true;
      } else if (lint) {
        // The exact parse of exactly analysis.text at analysis.target: no second parse.
        findings = lint(analysis.text, { ...options, machine: machine.for(document.uri), settings: settings?.rules }, analysis.exactParse()).findings;
        machine.reportOwn();
        linted = true;
      }
    } catch (error) {
      if (error instanceof StaleLint) throw error;
      // A linter bug must not take the parser's diagnostics down with it.
      this.server.log(`the linter failed on ${document.uri}: ${(error as Error).message}; showing parser diagnostics only`);
    }
    parseDiagnostics ??= analysis.exactParse().diagnostics;
    const snapshot = linted && !incremental && settings !== undefined ? this.remember(analysis, settings.key, findings, parseDiagnostics) : undefined;
    // The snapshot's copies are the same findings and diagnostics: answer with them, so the
    // linter's own are not held beside them (a huge file has tens of thousands).
    if (snapshot) ({ findings, diagnostics: parseDiagnostics } = snapshot);
    parseDiagnostics = [...parseDiagnostics].sort(compareDiagnostics);
    const parserItems = parseDiagnostics.map((d) => ({ diagnostic: this.converted(d, () => fromParser(analysis, d)) }));
    if (!linted) return parserItems;
    // What the recovered tree says about the text the parser could not read is guesswork.
    const broken = brokenSpans(analysis.text, parseDiagnostics);
    const lintSnapshot = incremental ?? snapshot;
    const items: CheckedDiagnostic[] =
      lintSnapshot && broken.length === 0
        ? this.convertedGroups(analysis, lintSnapshot)
        : (broken.length === 0 ? findings : findings.filter((f) => !inBrokenPart(f, broken))).map((finding) => ({
            diagnostic: this.converted(finding, () => fromFinding(analysis, finding)),
            finding,
          }));
    // The linter reports parser diagnostics itself (rules `syntax`, `version-compat`); add the
    // parser's only where the linter said nothing at the same place (a key names its line).
    const parserLines = new Set(parserItems.map((i) => i.diagnostic.range.start.line));
    const seen = new Set(items.filter((i) => parserLines.has(i.diagnostic.range.start.line)).map((i) => key(i.diagnostic)));
    for (const item of parserItems) if (!seen.has(key(item.diagnostic))) items.push(item);
    return items.sort(
      (a, b) =>
        a.diagnostic.range.start.line - b.diagnostic.range.start.line || a.diagnostic.range.start.character - b.diagnostic.range.start.character,
    );
  }
}

/**
 * The most text the server lints at once on its own thread, even when a worker is there (a whole
 * small file, or the part of a big one an edit can change): a few thousand lines lint in
 * milliseconds, less than handing the text to the worker, and a worker that is never needed is
 * never started (it holds a second copy of the language data and of this machine's). Beyond it,
 * the worker lints the whole file.
 */
const MAIN_THREAD_LINT_CHARS = 64 * 1024;

/** Files from MAIN_THREAD_LINT_CHARS up to this size get their first edit's work done ahead, after their first check. */
const PREPARE_CHARS = 1024 * 1024;

/** About how much text one step of the warm-up lints: a few milliseconds a request may wait. */
const WARM_UP_SLICE_CHARS = 4 * 1024;

/** How much text the warm-up lints in a server's life (big.bt's first lint in the worker leaves time for about half of it). */
const WARM_UP_CHARS = 256 * 1024;

/** Whether a text is linted on the server's own thread: small, and nested no deeper than its stack takes. */
function onThisThread(text: string): boolean {
  return text.length < MAIN_THREAD_LINT_CHARS && !needsLargeStack(text);
}

interface GroupConversion {
  start: Position;
  items: CheckedDiagnostic[];
}

/**
 * The LSP form of `findings`, moved copies (one for one) of those `from` was made of, as the item
 * moved from `from.start` to `start`: lines shift by the item's line shift, characters only on its
 * first line. A finding whose message changed is converted afresh.
 */
function shiftedItems(findings: readonly LintFinding[], from: GroupConversion, start: Position, analysis: Analysis): CheckedDiagnostic[] {
  const lines = start.line - from.start.line;
  const characters = start.character - from.start.character;
  const firstLine = from.start.line;
  const shift = (p: Position): Position => ({ line: p.line + lines, character: p.line === firstLine ? p.character + characters : p.character });
  return findings.map((finding, i) => {
    const before = from.items[i].diagnostic;
    if (before.message !== finding.message) return { diagnostic: fromFinding(analysis, finding), finding };
    if (lines === 0 && (characters === 0 || (before.range.start.line !== firstLine && before.range.end.line !== firstLine))) return { diagnostic: before, finding };
    return { diagnostic: { ...before, range: { start: shift(before.range.start), end: shift(before.range.end) } }, finding };
  });
}

/**
 * Whether two lists hold the same LSP diagnostics, every field. Cheap after an incremental lint:
 * the items it did not re-lint nor move keep their LSP objects (convertedGroups), so most pairs
 * are the same object and only the re-linted or moved ones are compared field by field (the first
 * moved one differs in its range).
 */
export function sameDiagnostics(a: readonly CheckedDiagnostic[], b: readonly CheckedDiagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i].diagnostic, b[i].diagnostic)) return false;
  return true;
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
