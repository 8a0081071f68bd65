import { rules } from "@bt/linter";
import { language, walk, type Diagnostic, type ParseResult, type Position, type Range, type TopLevel } from "@bt/parser";
import { countBelow, unreadable } from "./broken.ts";
import { commonPrefix, commonSuffix, positionAfter, positionMover, type ReparsedWindow } from "./incremental.ts";
import type { LintFinding } from "./tools.ts";

/**
 * Linting only what an edit can change. A top-level item's findings depend on the rest of the
 * program only through names it shares with other items: maps (their uses and types), the `fn`s
 * and macros it defines or calls, `getopt` options, unstable features (bpftrace warns once per
 * script), and the items every item sees (C definitions, config, imports). Items linked by such
 * names, directly or through others, form a component; an edit re-lints the component of the
 * items it replaced (old and new names), as a program holding only that component and the
 * shared items, and keeps every other item's findings, moved where reparse moved the item.
 *
 * Anything this cannot follow exactly falls back to a full lint (`update` returns undefined):
 * grammar errors, an edit of a C definition, config or import, of a `bt-lint` directive, one
 * adding or removing a `fn`/macro name or leaving no probe, `fn` or macro in the edited stretch,
 * and a component larger than `maxComponent` characters (a full lint in the worker thread then
 * costs the server less than a long one on its own thread). Rules that read only a probe's attach
 * points run on the edited items alone. An edit that only moved whitespace between the tokens of
 * the edited items lints nothing: their old findings are moved with the text (whitespaceMoved).
 */

/** A finding as lintText reports it (messageId tells which message template made the text). */
export type Finding = LintFinding & { messageId?: string };

/** What lints a program made of some of the file's items (the server's lint function, given a tree), without the rules `off`. */
export type LintView = (view: ParseResult, off: readonly string[]) => Finding[];

/**
 * Rules whose findings in a probe depend on nothing but its attach points (and this machine, and
 * the file system; their `meta.scope`): run on the edited items only, their findings in other items
 * are kept. Matching attach points against this machine is the costliest part of a lint.
 */
const ATTACH_POINT_RULES: readonly string[] = Object.values(rules)
  .filter((rule) => rule.meta.scope === "attach-points")
  .map((rule) => rule.meta.id);
const ATTACH_POINT_RULE_SET: ReadonlySet<string> = new Set(ATTACH_POINT_RULES);
const OTHER_RULES: readonly string[] = Object.keys(rules).filter((id) => !ATTACH_POINT_RULE_SET.has(id));

const SHARED_ITEMS: ReadonlySet<TopLevel["type"]> = new Set<TopLevel["type"]>(["CPreprocessor", "CDefinition", "ConfigBlock", "Import"]);

/** Shared items the analysis of another item reads (`#include`/`#define` lines are read by none). */
const SEEN_BY_EVERY_ITEM: ReadonlySet<TopLevel["type"]> = new Set<TopLevel["type"]>(["CDefinition", "ConfigBlock", "Import"]);

export const isBody = (item: TopLevel) => item.type === "Probe" || item.type === "FnDef" || item.type === "MacroDef";

/** Calls and builtins of unstable features (any release): their first use in the script is reported, so their users are linked. */
const UNSTABLE_NAMES: ReadonlySet<string> = new Set(
  language.CONFIG_KEYS.flatMap((k) => (k.kind === "unstable" && k.feature ? [k.feature.call, k.feature.builtin].filter((n): n is string => !!n) : [])),
);

interface ItemResults extends FindingGroup {
  /** Where the item started and ended when these were computed (reparse moves the item objects themselves). */
  start: Position;
  end: Position;
  findings: Finding[];
  diagnostics: Diagnostic[];
}

/**
 * One item's findings, in order. An item that only moved since the snapshot before tells where it
 * was and the findings its own are moved copies of (one for one, in order; only a message naming
 * a line may differ): the text from its start to its end did not change.
 */
export interface FindingGroup {
  start: Position;
  findings: readonly Finding[];
  movedFrom?: { start: Position; findings: readonly Finding[] };
}

/** The lint of one version of a document, per top-level item. Its positions are copies: moving the tree leaves them be. */
export class LintSnapshot {
  private keyIndex?: Map<TopLevel, readonly string[]>;

  private constructor(
    /** The text linted. */
    readonly text: string,
    /** Target, rule configuration and machine: a change of any re-lints everything. */
    readonly settings: string,
    /** The items linted (the tree's own objects: reparse keeps the unchanged ones). */
    readonly body: readonly TopLevel[],
    private readonly results: Map<TopLevel, ItemResults>,
    /** Findings and diagnostics outside every item (comments, text between items). */
    private readonly loose: { findings: Finding[]; diagnostics: Diagnostic[] },
    private readonly callables: ReadonlySet<string>,
    /** Every finding (sorted as lintText sorts) and parse diagnostic. */
    readonly findings: Finding[],
    readonly diagnostics: Diagnostic[],
    keys?: Map<TopLevel, readonly string[]>,
  ) {
    this.keyIndex = keys;
  }

  /**
   * The snapshot of a full lint of `text`, whose tree is `parsed` (its items are attached their
   * findings); undefined when the text does not parse cleanly.
   */
  static fromFull(text: string, settings: string, parsed: ParseResult, findings: Finding[], diagnostics: Diagnostic[]): LintSnapshot | undefined {
    if (parsed.diagnostics.some(unreadable) || diagnostics.some(unreadable)) return undefined;
    const body = parsed.ast.body;
    const results = new Map<TopLevel, ItemResults>(body.map((item) => [item, { start: copyPosition(item.range.start), end: copyPosition(item.range.end), findings: [], diagnostics: [] }]));
    const loose = { findings: [] as Finding[], diagnostics: [] as Diagnostic[] };
    // One copy of each, listed both per item and in the whole list (as update's are: nothing
    // changes them in place), so a huge file's findings are held once.
    const findingCopies = findings.map(copyFinding).sort(compareFindings);
    for (const copy of findingCopies) {
      const item = itemHolding(body, findingRanges(copy));
      (item ? results.get(item)!.findings : loose.findings).push(copy);
    }
    const diagnosticCopies = diagnostics.map(copyDiagnostic);
    for (const copy of diagnosticCopies) {
      const item = itemHolding(body, [copy.range]);
      (item ? results.get(item)!.diagnostics : loose.diagnostics).push(copy);
    }
    // A rule that failed reports at the start of the file: nothing of that lint can be reused.
    if (loose.findings.some((f) => f.message.startsWith("internal error in rule"))) return undefined;
    return new LintSnapshot(text, settings, body, results, loose, callablesOf(body), findingCopies, diagnosticCopies.sort(compareDiagnostics));
  }

  /**
   * The snapshot of `text`, whose tree `parsed` reparse made from this snapshot's tree by
   * replacing `window`; `lint` lints a program of some of its items. Undefined: lint it in full.
   */
  update(text: string, settings: string, parsed: ParseResult, window: ReparsedWindow, lint: LintView, maxComponent: number): LintSnapshot | undefined {
    if (settings !== this.settings || window.before !== this.text) return undefined;
    const { removed, added } = window;
    if ([...removed, ...added].some((item) => SHARED_ITEMS.has(item.type))) return undefined;
    // Section order and "empty program" are checked over the whole program by the parser.
    if (!removed.some(isBody) || !added.some(isBody)) return undefined;
    if (this.text.slice(window.start, window.oldEnd).includes("bt-lint") || text.slice(window.start, window.newEnd).includes("bt-lint")) return undefined;
    const body = parsed.ast.body;
    const callables = callablesOf(body);
    if (!sameSet(callables, this.callables)) return undefined;
    const inWindow = (r: Range) => r.start.offset >= window.start && r.end.offset <= window.newEnd;
    if (window.diagnostics.some(unreadable)) return undefined;
    const exactWindowDiagnostics = withoutOutsideCallables(window.diagnostics, added, callables);

    const keys = new Map<TopLevel, readonly string[]>();
    const previousKeys = this.keysOf();
    for (const item of body) keys.set(item, previousKeys.get(item) ?? itemKeys(item, callables));
    // Whitespace moved inside the edited items and nothing else: their findings are the old ones
    // moved with the text, and nothing else can have changed, so nothing is linted.
    const spaced = this.whitespaceMoved(text, parsed, window, exactWindowDiagnostics);
    const component = spaced ? new Set<TopLevel>() : linkedItems(body, keys, [...removed.flatMap((item) => previousKeys.get(item) ?? itemKeys(item, callables))], added);
    let size = 0;
    for (const item of component) size += item.range.end.offset - item.range.start.offset;
    if (size > maxComponent) return undefined;

    // Every other item's results, moved to where the item is now.
    const results = new Map<TopLevel, ItemResults>();
    const addedSet = new Set(added);
    for (const item of body) {
      if (addedSet.has(item)) {
        results.set(item, spaced?.get(item) ?? { start: copyPosition(item.range.start), end: copyPosition(item.range.end), findings: [], diagnostics: [] });
        continue;
      }
      const previous = this.results.get(item);
      if (!previous) return undefined;
      const moved = moveResults(previous, item.range.start);
      if (!moved) return undefined;
      results.set(item, moved);
    }
    const loose = { findings: [] as Finding[], diagnostics: [] as Diagnostic[] };
    const outside = (r: Range) => r.end.offset <= window.start || r.start.offset >= window.oldEnd;
    for (const f of this.loose.findings) if (findingRanges(f).every(outside)) loose.findings.push(moveLoose(f, window, moveFinding));
    for (const d of this.loose.diagnostics) if (outside(d.range)) loose.diagnostics.push(moveLoose(d, window, moveDiagnostic));
    for (const d of spaced ? [] : exactWindowDiagnostics) {
      const copy = copyDiagnostic(d);
      const item = itemHolding(added, [copy.range]);
      (item ? results.get(item)!.diagnostics : loose.diagnostics).push(copy);
    }

    if (spaced) return this.assembled(text, settings, body, results, loose, callables, keys);

    // Lint the component with the items every item sees, and the diagnostics of what it holds.
    const viewBody = body.filter((item) => component.has(item) || SEEN_BY_EVERY_ITEM.has(item.type));
    const viewDiagnostics = [...viewBody.flatMap((item) => results.get(item)!.diagnostics), ...loose.diagnostics.filter((d) => inWindow(d.range))];
    // Comments matter to the lint as directives (all of them) and in themselves (those re-linted).
    const viewComments = parsed.ast.comments.filter((c) => c.text.includes("bt-lint") || inWindow(c.range) || component.has(itemHolding(body, [c.range])!));
    const viewFindings = lint({ ...parsed, ast: { ...parsed.ast, body: viewBody, comments: viewComments }, diagnostics: viewDiagnostics }, ATTACH_POINT_RULES);
    for (const item of component) results.get(item)!.findings = results.get(item)!.findings.filter((f) => ATTACH_POINT_RULE_SET.has(f.ruleId));
    // An edited probe whose attach points are the removed one's, where they were, keeps their findings.
    const unmatched: TopLevel[] = [];
    for (let i = 0; i < added.length; i++) {
      const kept = removed.length === added.length ? this.attachPointFindingsKept(removed[i], added[i], text) : undefined;
      if (kept) results.get(added[i])!.findings.push(...kept);
      else unmatched.push(added[i]);
    }
    const attachPointFindings =
      unmatched.length === 0
        ? []
        : lint({ ...parsed, ast: { ...parsed.ast, body: unmatched, comments: viewComments }, diagnostics: unmatched.flatMap((item) => results.get(item)!.diagnostics) }, OTHER_RULES);
    for (const f of [...viewFindings, ...attachPointFindings]) {
      const ranges = findingRanges(f);
      const item = itemHolding(viewBody, ranges);
      if (item && component.has(item)) results.get(item)!.findings.push(copyFinding(f));
      else if (!item && ranges.every(inWindow)) loose.findings.push(copyFinding(f));
    }
    for (const item of component) results.get(item)!.findings.sort(compareFindings);
    if (loose.findings.some((f) => f.message.startsWith("internal error in rule"))) return undefined;
    return this.assembled(text, settings, body, results, loose, callables, keys);
  }

  /** The snapshot of `text` made of each item's results and the loose ones. */
  private assembled(
    text: string,
    settings: string,
    body: readonly TopLevel[],
    results: Map<TopLevel, ItemResults>,
    loose: { findings: Finding[]; diagnostics: Diagnostic[] },
    callables: ReadonlySet<string>,
    keys: Map<TopLevel, readonly string[]>,
  ): LintSnapshot {
    // Items do not overlap and each one's results are in order: only the loose ones need merging in.
    const itemFindings: Finding[] = [];
    const itemDiagnostics: Diagnostic[] = [];
    for (const item of body) {
      const r = results.get(item)!;
      r.diagnostics.sort(compareDiagnostics);
      for (const f of r.findings) itemFindings.push(f);
      for (const d of r.diagnostics) itemDiagnostics.push(d);
    }
    const findings = merge(itemFindings, loose.findings.sort(compareFindings), compareFindings);
    const diagnostics = merge(itemDiagnostics, loose.diagnostics.sort(compareDiagnostics), compareDiagnostics);
    return new LintSnapshot(text, settings, body, results, loose, callables, findings, diagnostics, keys);
  }

  /**
   * The results of the items `window` added, when the edit only moved whitespace between their
   * tokens: each added item is the removed one's twin (the same tree but for positions, the same
   * text but for spaces, tabs and line breaks), so every rule saw the same program (comments are
   * read only as `bt-lint` directives, and update lints any edit of one) and its findings are the
   * old ones, their positions moved with the text (a finding spanning the edit grows or shrinks;
   * findings that come to start at the same place are sorted again). What depends on layout rules
   * this out (undefined: lint): a position not at the edge of a token (it cannot be followed
   * through the edit) or whose line and column are not where its offset is, a message quoting
   * source text that changed (LAYOUT_RULES) and, when line breaks were added or removed, a message
   * naming a line or a `bt-lint` directive in the file (they suppress findings by line). The edited stretch's parse diagnostics must be the
   * old ones moved, and neither version may have any outside the items.
   */
  private whitespaceMoved(text: string, parsed: ParseResult, window: ReparsedWindow, diagnostics: readonly Diagnostic[]): Map<TopLevel, ItemResults> | undefined {
    const { removed, added, start } = window;
    if (removed.length !== added.length) return undefined;
    const before = this.text.slice(start, window.oldEnd);
    const after = text.slice(start, window.newEnd);
    const oldTokens = nonBlankOffsets(before);
    const newTokens = nonBlankOffsets(after);
    if (oldTokens.length !== newTokens.length) return undefined;
    for (let i = 0; i < oldTokens.length; i++) if (before.charCodeAt(oldTokens[i]) !== after.charCodeAt(newTokens[i])) return undefined;
    for (let i = 0; i < removed.length; i++) if (!sameValue(removed[i], added[i], "range")) return undefined;
    const oldWindow = (r: Range) => r.end.offset > start && r.start.offset < window.oldEnd;
    if (this.loose.findings.some((f) => findingRanges(f).some(oldWindow)) || this.loose.diagnostics.some((d) => oldWindow(d.range))) return undefined;

    // Line breaks added or removed (the changed stretch, between the common start and end).
    const shortest = Math.min(before.length, after.length);
    const head = commonPrefix(before, after, shortest);
    const tail = commonSuffix(before, after, shortest - head);
    const linesMoved = before.slice(head, before.length - tail).includes("\n") || after.slice(head, after.length - tail).includes("\n");
    /** Whether the changed stretch of the snapshot's text touches the inside of `r`. */
    const changedStart = start + head;
    const changedEnd = start + before.length - tail;
    const changedIn = (r: Range) => (changedStart === changedEnd ? changedStart > r.start.offset && changedStart < r.end.offset : changedStart < r.end.offset && changedEnd > r.start.offset);
    if (linesMoved && parsed.ast.comments.some((c) => c.text.includes("bt-lint"))) return undefined;

    const results = new Map<TopLevel, ItemResults>();
    for (let i = 0; i < added.length; i++) {
      const previous = this.results.get(removed[i]);
      if (!previous) return undefined;
      const oldStart = previous.start;
      const newStart = added[i].range.start;
      /** The position in `text` of the token edge at `p` in the snapshot's text; undefined when `p` is not one, or not where its offset is. */
      const move = (p: Position): Position | undefined => {
        if (p.offset < oldStart.offset || !samePosition(p, positionAfter(this.text, oldStart, p.offset))) return undefined;
        const at = p.offset - start;
        if (at > before.length) return undefined;
        // After the character before it, before the one after it: where the edit put blanks
        // between the two, the edge is ambiguous.
        const k = countBelow(oldTokens, at);
        const afterPrevious = k > 0 && oldTokens[k - 1] === at - 1 ? newTokens[k - 1] + 1 : undefined;
        const beforeNext = k < oldTokens.length && oldTokens[k] === at ? newTokens[k] : undefined;
        const to = afterPrevious ?? beforeNext;
        if (to === undefined || (beforeNext !== undefined && beforeNext !== to) || start + to < newStart.offset) return undefined;
        return positionAfter(text, newStart, start + to);
      };
      const findings: Finding[] = [];
      if (!samePosition(removed[i].range.start, oldStart)) return undefined;
      for (const f of previous.findings) {
        // A rule quoting source text quotes nodes inside the smallest node holding its finding.
        if (LAYOUT_RULES.has(f.ruleId) && changedIn(smallestNodeHolding(removed[i], f.range).range)) return undefined;
        if (linesMoved && namesLine(f)) return undefined;
        const moved = moveFindingExactly(f, move);
        if (!moved) return undefined;
        findings.push(moved);
      }
      const itemDiagnostics: Diagnostic[] = [];
      for (const d of previous.diagnostics) {
        const range = moveRange(d.range, move);
        if (!range) return undefined;
        itemDiagnostics.push({ ...d, range });
      }
      results.set(added[i], {
        start: copyPosition(added[i].range.start),
        end: copyPosition(added[i].range.end),
        findings: findings.sort(compareFindings),
        diagnostics: itemDiagnostics.sort(compareDiagnostics),
      });
    }
    // The stretch's own parse must say what the old one said, moved.
    const expected = added.flatMap((item) => results.get(item)!.diagnostics);
    const actual = [...diagnostics].sort(compareDiagnostics);
    if (expected.length !== actual.length || expected.some((d, i) => !sameDiagnostic(d, actual[i]))) return undefined;
    return results;
  }

  /**
   * The stretch of this snapshot's text that `text` replaced, found from the items `body` shares
   * with this snapshot's (reparse keeps unchanged items, however many edits ago): for a tree made
   * through versions this snapshot never saw (a client that is pushed diagnostics after a pause
   * skips them). `diagnosticsOf` parses the new stretch alone (stretchDiagnostics). Undefined when
   * the text around the stretch is not the snapshot's.
   */
  windowTo(text: string, body: readonly TopLevel[], diagnosticsOf: (start: number, startPosition: Position, end: number) => Diagnostic[] | undefined): ReparsedWindow | undefined {
    const old = this.body;
    let kept = 0;
    while (kept < old.length && kept < body.length && old[kept] === body[kept]) kept++;
    let moved = 0;
    while (moved < old.length - kept && moved < body.length - kept && old[old.length - 1 - moved] === body[body.length - 1 - moved]) moved++;
    const startPosition = kept > 0 ? this.results.get(old[kept - 1])?.end : { offset: 0, line: 1, column: 1 };
    if (!startPosition || (kept > 0 && old[kept - 1].range.end.offset !== startPosition.offset)) return undefined;
    const start = startPosition.offset;
    const first = moved > 0 ? old[old.length - moved] : undefined;
    const oldAnchor = first && this.results.get(first)?.start;
    if (first && !oldAnchor) return undefined;
    const newAnchor = first && copyPosition(first.range.start);
    const oldEnd = oldAnchor ? oldAnchor.offset : this.text.length;
    const newEnd = newAnchor ? newAnchor.offset : text.length;
    if (oldEnd < start || newEnd < start) return undefined;
    if (this.text.slice(0, start) !== text.slice(0, start) || this.text.slice(oldEnd) !== text.slice(newEnd)) return undefined;
    const diagnostics = diagnosticsOf(start, startPosition, newEnd);
    if (!diagnostics) return undefined;
    return {
      before: this.text,
      start,
      oldEnd,
      newEnd,
      removed: old.slice(kept, old.length - moved),
      added: body.slice(kept, body.length - moved),
      oldAnchor: oldAnchor && copyPosition(oldAnchor),
      newAnchor,
      diagnostics,
    };
  }

  /**
   * The attach-point rules' findings of `before` (an item this snapshot linted), when `after` is a
   * probe with the same attach points at the same place (the text from the probe's start to its
   * last attach point unchanged, at the same position): those rules read nothing else, and their
   * findings lie in that stretch, so they are `after`'s too. Undefined: lint `after`'s.
   */
  private attachPointFindingsKept(before: TopLevel, after: TopLevel, text: string): Finding[] | undefined {
    if (before.type !== "Probe" || after.type !== "Probe" || before.attachPoints.length !== after.attachPoints.length || after.attachPoints.length === 0) return undefined;
    const previous = this.results.get(before);
    const start = after.range.start;
    if (!previous || !samePosition(previous.start, start) || !samePosition(before.range.start, start)) return undefined;
    const end = after.attachPoints[after.attachPoints.length - 1].range.end.offset;
    if (before.attachPoints.some((ap, i) => ap.raw !== after.attachPoints[i].raw || !samePosition(ap.range.end, after.attachPoints[i].range.end))) return undefined;
    if (this.text.slice(start.offset, end) !== text.slice(start.offset, end)) return undefined;
    const kept = previous.findings.filter((f) => ATTACH_POINT_RULE_SET.has(f.ruleId));
    const inHeader = (r: Range) => r.start.offset >= start.offset && r.end.offset <= end;
    return kept.every((f) => findingRanges(f).every(inHeader)) ? kept : undefined;
  }

  /**
   * The findings item by item in source order, and those outside every item (sorted): `findings`
   * is these merged by compareFindings. For a caller that keeps something per finding.
   */
  groups(): { items: FindingGroup[]; loose: readonly Finding[] } {
    return { items: this.body.map((item) => this.results.get(item)!), loose: this.loose.findings };
  }

  /** Computes now what the first update would (while the server is idle after a full lint). */
  prepare(): void {
    this.keysOf();
  }

  /** The linking names of each item, computed on first use (a full lint that is never followed by an edit needs none). */
  private keysOf(): Map<TopLevel, readonly string[]> {
    if (!this.keyIndex) {
      this.keyIndex = new Map();
      for (const item of this.body) this.keyIndex.set(item, itemKeys(item, this.callables));
    }
    return this.keyIndex;
  }
}

/**
 * Lints of `parsed`'s probes, fns and macros a few at a time (about `sliceChars` of text each),
 * with the items every item sees, as an update lints a component; one lint per step, their
 * findings thrown away. Run while the server waits for a big file's first lint in the worker, they
 * get V8 to compile the linter's code on the server's own thread (it compiles a function's fast
 * tiers only after the function ran often), so the first edits do not meet that code cold.
 */
export function* warmingLints(parsed: ParseResult, lint: LintView, sliceChars: number): Generator<void> {
  const body = parsed.ast.body;
  let slice = new Set<TopLevel>();
  let size = 0;
  for (const item of body) {
    if (!isBody(item)) continue;
    slice.add(item);
    size += item.range.end.offset - item.range.start.offset;
    if (size < sliceChars && item !== body[body.length - 1]) continue;
    const view = body.filter((i) => slice.has(i) || SEEN_BY_EVERY_ITEM.has(i.type));
    lint({ ...parsed, ast: { ...parsed.ast, body: view, comments: [] }, diagnostics: [] }, ATTACH_POINT_RULES);
    yield;
    slice = new Set();
    size = 0;
  }
}

/**
 * Rules whose messages, fixes or positions are made from the program's source text
 * (`ctx.source`), spaces and line breaks included: a whitespace edit inside the node they report
 * can change them (incremental-lint.test.ts checks the list against the rules' code). Each
 * quotes only nodes inside the smallest node holding its finding (time-unit-truncation: the
 * division's operands; version-compat: a `delete` call's keys, a named type's name within it).
 */
export const LAYOUT_RULES: ReadonlySet<string> = new Set(["time-unit-truncation", "version-compat"]);

/** The smallest node of `item` (itself at least) whose range holds `range`. */
function smallestNodeHolding(item: TopLevel, range: Range): { range: Range } {
  let holder: { range: Range } = item;
  walk(item, (node) => {
    if (node.range.start.offset > range.start.offset || node.range.end.offset < range.end.offset) return false;
    holder = node;
    return true;
  });
  return holder;
}

/** The offsets of the characters of `text` that are not spaces, tabs or line breaks (the lexer's blanks). */
function nonBlankOffsets(text: string): Int32Array {
  const offsets = new Int32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) offsets[n++] = i;
  }
  return offsets.subarray(0, n);
}

/**
 * Deep equality of JSON-like values (a field set to undefined counts as absent, as JSON sends it),
 * fields named `ignored` left out at every depth: two trees equal but for their positions
 * (`range`), two LSP diagnostics.
 */
export function sameValue(a: unknown, b: unknown, ignored?: string): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let fields = 0;
  for (const k in x) {
    if (x[k] === undefined || k === ignored) continue;
    fields++;
    if (!sameValue(x[k], y[k], ignored)) return false;
  }
  for (const k in y) if (y[k] !== undefined && k !== ignored) fields--;
  return fields === 0;
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return samePosition(a.range.start, b.range.start) && samePosition(a.range.end, b.range.end) && sameValue(a, b, "range");
}

function moveRange(r: Range, move: (p: Position) => Position | undefined): Range | undefined {
  const start = move(r.start);
  const end = start && move(r.end);
  return end && { start: start!, end };
}

/** `f` with every position moved by `move`; undefined when one cannot be. */
function moveFindingExactly(f: Finding, move: (p: Position) => Position | undefined): Finding | undefined {
  const range = moveRange(f.range, move);
  if (!range) return undefined;
  if (!f.fix) return { ...f, range };
  const edits = [];
  for (const e of f.fix.edits) {
    const moved = moveRange(e.range, move);
    if (!moved) return undefined;
    edits.push({ range: moved, text: e.text });
  }
  return { ...f, range, fix: { ...f.fix, edits } };
}

/** The message template of `f` when it names a line (has `{{line}}`). */
function lineTemplate(f: Finding): string | undefined {
  const template = f.messageId ? rules[f.ruleId]?.meta.messages[f.messageId] : undefined;
  return template && LINE_PLACEHOLDER.test(template) ? template : undefined;
}

/** Whether `f`'s message names a line. */
function namesLine(f: Finding): boolean {
  return lineTemplate(f) !== undefined;
}

const LINE_PLACEHOLDER = /\{\{\s*line\s*\}\}/;

/** Names of the file's `fn`s and macros. */
function callablesOf(body: readonly TopLevel[]): Set<string> {
  const names = new Set<string>();
  for (const item of body) if (item.type === "FnDef" || item.type === "MacroDef") names.add(item.name.name);
  return names;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/**
 * The parser of the edited stretch alone did not know the `fn`s and macros defined outside it:
 * before 0.24 it reports a call of one as an unknown function (at the callee), which the parse
 * of the whole file does not.
 */
function withoutOutsideCallables(diagnostics: Diagnostic[], added: readonly TopLevel[], callables: ReadonlySet<string>): Diagnostic[] {
  const callees = new Set<string>();
  for (const item of added) {
    walk(item, (node) => {
      if (node.type === "Call" && callables.has(node.callee.name)) callees.add(`${node.callee.range.start.offset}:${node.callee.range.end.offset}`);
    });
  }
  if (callees.size === 0) return diagnostics;
  return diagnostics.filter((d) => !(d.code === "semantic" && callees.has(`${d.range.start.offset}:${d.range.end.offset}`)));
}

/** The names linking an item to others (see the file's comment). */
export function itemKeys(item: TopLevel, callables: ReadonlySet<string>): string[] {
  const keys = new Set<string>();
  if (item.type === "FnDef" || item.type === "MacroDef" || item.type === "MapDecl") keys.add(item.type === "MapDecl" ? `map:${item.map.name}` : `call:${item.name.name}`);
  walk(item, (node, parent) => {
    switch (node.type) {
      case "AttachPoint":
        return false;
      case "MapRef":
        keys.add(`map:${node.name}`);
        break;
      case "Call":
        if (callables.has(node.callee.name)) keys.add(`call:${node.callee.name}`);
        if (node.callee.name === "getopt") keys.add("getopt");
        if (UNSTABLE_NAMES.has(node.callee.name)) keys.add("unstable");
        break;
      case "Identifier":
      case "Builtin":
        if (callables.has(node.name)) keys.add(`call:${node.name}`);
        if (UNSTABLE_NAMES.has(node.name)) keys.add("unstable");
        break;
      case "TypeinfoExpression":
        keys.add("unstable");
        break;
      case "Import":
        if (parent?.type !== "Program") keys.add("unstable");
        break;
    }
    return true;
  });
  return [...keys];
}

/** The items of `body` linked to `seeds` (and to `added`) through shared names, with `added`. */
function linkedItems(body: readonly TopLevel[], keys: Map<TopLevel, readonly string[]>, seedKeys: string[], added: readonly TopLevel[]): Set<TopLevel> {
  const byKey = new Map<string, TopLevel[]>();
  for (const item of body) {
    for (const key of keys.get(item)!) {
      let items = byKey.get(key);
      if (!items) byKey.set(key, (items = []));
      items.push(item);
    }
  }
  const component = new Set<TopLevel>(added);
  const pending = [...seedKeys, ...added.flatMap((item) => keys.get(item)!)];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const key = pending.pop()!;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const item of byKey.get(key) ?? []) {
      if (component.has(item)) continue;
      component.add(item);
      pending.push(...keys.get(item)!);
    }
  }
  return component;
}

/** The item of `body` (in source order) holding every range, if one does. */
function itemHolding(body: readonly TopLevel[], ranges: Range[]): TopLevel | undefined {
  const first = ranges[0].start.offset;
  let lo = 0;
  let hi = body.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (body[mid].range.start.offset <= first) lo = mid + 1;
    else hi = mid;
  }
  const item = body[lo - 1];
  if (!item) return undefined;
  const { start, end } = item.range;
  return ranges.every((r) => r.start.offset >= start.offset && r.end.offset <= end.offset) ? item : undefined;
}

function findingRanges(f: Finding): Range[] {
  return [f.range, ...(f.fix?.edits.map((e) => e.range) ?? [])];
}

function copyPosition(p: Position): Position {
  return { offset: p.offset, line: p.line, column: p.column };
}

function samePosition(a: Position, b: Position): boolean {
  return a.offset === b.offset && a.line === b.line && a.column === b.column;
}

function copyRange(r: Range): Range {
  return { start: copyPosition(r.start), end: copyPosition(r.end) };
}

function copyFinding(f: Finding): Finding {
  return moveFinding(f, (p) => copyPosition(p));
}

function copyDiagnostic(d: Diagnostic): Diagnostic {
  return { ...d, range: copyRange(d.range) };
}

type Move = (p: Position) => Position;

function moveFinding(f: Finding, move: Move): Finding {
  return moveFindingExactly(f, move)!;
}

function moveDiagnostic(d: Diagnostic, move: Move): Diagnostic {
  return { ...d, range: moveRange(d.range, move)! };
}

/** An item's results moved from where it was to `start`; undefined when a message names a line this cannot move. */
function moveResults(previous: ItemResults, start: Position): ItemResults | undefined {
  const from = previous.start;
  if (samePosition(from, start)) return previous;
  const move = positionMover(from, start);
  const lines = start.line - from.line;
  const findings: Finding[] = [];
  for (const f of previous.findings) {
    const moved = lines === 0 ? moveFinding(f, move) : withLineMoved(moveFinding(f, move), lines);
    if (!moved) return undefined;
    findings.push(moved);
  }
  return {
    start: copyPosition(start),
    end: move(previous.end),
    findings,
    diagnostics: previous.diagnostics.map((d) => moveDiagnostic(d, move)),
    movedFrom: { start: previous.start, findings: previous.findings },
  };
}

/** Loose results after the window move with the items after it; those before it stay. */
function moveLoose<T extends { range: Range }>(value: T, window: ReparsedWindow, move: (v: T, m: Move) => T): T {
  if (value.range.start.offset < window.oldEnd || !window.oldAnchor || !window.newAnchor) return value;
  return move(value, positionMover(window.oldAnchor, window.newAnchor));
}

/**
 * Some messages name a line of the same item (where a variable was declared): the item moved by
 * `lines`, so does that line. The message is read back through its template.
 */
function withLineMoved(f: Finding, lines: number): Finding | undefined {
  const template = lineTemplate(f);
  if (!template) return f;
  const names: string[] = [];
  const pattern = template
    .split(/(\{\{\s*\w+\s*\}\})/)
    .map((part) => {
      const placeholder = /^\{\{\s*(\w+)\s*\}\}$/.exec(part);
      if (!placeholder) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(placeholder[1]);
      return placeholder[1] === "line" ? "(\\d+)" : "([\\s\\S]*?)";
    })
    .join("");
  const match = new RegExp(`^${pattern}$`).exec(f.message);
  if (!match) return undefined;
  const data = new Map(names.map((name, i) => [name, match[i + 1]]));
  data.set("line", String(Number(data.get("line")) + lines));
  return { ...f, message: template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, name: string) => data.get(name) ?? m) };
}

/** Two sorted lists as one. */
export function merge<T>(a: T[], b: T[], compare: (x: T, y: T) => number): T[] {
  if (b.length === 0) return a;
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(compare(a[i], b[j]) <= 0 ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** lintText's order of findings. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.offset - b.range.start.offset ||
    a.range.end.offset - b.range.end.offset ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.message.localeCompare(b.message)
  );
}

/** Parse diagnostics in source order (the parser lists grammar errors before release checks). */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.offset - b.range.start.offset || a.range.end.offset - b.range.end.offset || a.message.localeCompare(b.message);
}
