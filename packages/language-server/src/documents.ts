import { parse, type ParseResult, type Release } from "@bt/parser";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { buildModel, type SemanticModel, type TypeSource } from "@bt/semantic";
import { OWN_PROCESS_CHARS } from "./background-lint.ts";
import { reparseWindow, type ReparsedWindow } from "./incremental.ts";
import { letYoungGenerationGrow } from "./release-memory.ts";
import { SymbolIndex } from "./symbols.ts";

/**
 * One parsed version of a document, shared by every feature. `text` and `version` are those
 * the parse was made from: TextDocuments updates its document objects in place, so
 * `document.getText()` / `document.version` may already be newer.
 */
export class Analysis {
  private index?: SymbolIndex;
  private full?: ParseResult;
  private semantic?: SemanticModel;

  /**
   * `parsed` is the tree of `text` for requests (hover, completion, navigation…). When `exact` is
   * false it was made incrementally from the previous version (incremental.ts): the same tree as
   * a full parse, but its diagnostics are approximate; `exactParse()` has the exact ones.
   */
  constructor(
    readonly document: TextDocument,
    readonly target: Release,
    readonly parsed: ParseResult,
    readonly text: string,
    readonly version: number,
    readonly exact = true,
    /** Kernel and binary types for the type checker (the machine's, where it applies), asked when the model is made. */
    private readonly typeSource: () => TypeSource | undefined = () => undefined,
    /**
     * For a tree made incrementally: the previous version's items (now moved into this version's
     * positions) and the stretch parsed again, for linting incrementally (diagnostics.ts).
     */
    public derivedFrom?: { body: ParseResult["ast"]["body"]; window: ReparsedWindow },
  ) {
    if (exact) this.full = parsed;
  }

  /** The full parse of `text` (diagnostics and the linter need it), made on first use. */
  exactParse(): ParseResult {
    this.full ??= parse(this.text, { target: this.target });
    return this.full;
  }

  /** @bt/semantic's model of the tree (scopes, maps, types), made on first use. */
  get model(): SemanticModel {
    this.semantic ??= buildModel(this.parsed.ast, this.target, this.typeSource());
    return this.semantic;
  }

  /** Maps, variables, macros and fns of the file (computed on first use). */
  get symbols(): SymbolIndex {
    this.index ??= new SymbolIndex(this.model);
    return this.index;
  }
}

/**
 * From this size on a text's parse and lint allocate enough that they run measurably slower in a
 * small young generation (big.bt, 317 KB: ~15 % slower edits, under load), which
 * keepYoungGenerationSmall keeps until such a text is parsed; the size from which the lint runs in
 * the worker thread (diagnostics.ts). Not for a huge text (OWN_PROCESS_CHARS, linted in a process
 * of its own): its tree is most of the server's memory, and beside it a grown young generation and
 * the old generation's fragments cost 30–150 MiB more (the 5.3 MB file: 264–266 MiB in three runs
 * against 291–414 with it grown, first check as long).
 */
const BIG_TEXT_CHARS = 64 * 1024;

/**
 * Parse cache keyed by URI: a document is parsed once per (version, target), however many
 * requests ask for it; after an edit only the top-level items it touched are parsed again.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, Analysis>();

  constructor(
    private readonly target: () => Release,
    private readonly typeSource: (uri: string) => TypeSource | undefined = () => undefined,
  ) {}

  get(document: TextDocument): Analysis {
    const target = this.target();
    const cached = this.entries.get(document.uri);
    // Compare the version the parse was made from: `cached.document` is the same object as
    // `document`, updated in place, so its own version is always the current one.
    if (cached && cached.version === document.version && cached.target === target && cached.document === document) return cached;
    const text = document.getText();
    const types = () => this.typeSource(document.uri);
    const sameDocument = cached && cached.target === target && cached.document === document;
    if (sameDocument && cached.text === text) {
      const analysis = new Analysis(document, target, cached.parsed, text, document.version, cached.exact, types);
      this.entries.set(document.uri, analysis);
      return analysis;
    }
    if (text.length >= BIG_TEXT_CHARS && text.length < OWN_PROCESS_CHARS) letYoungGenerationGrow();
    const incremental = sameDocument ? reparseWindow(cached.parsed, cached.text, text, target) : undefined;
    if (sameDocument) cached.derivedFrom = undefined; // the chain would keep every version's tree alive
    const analysis = incremental
      ? new Analysis(document, target, incremental.parsed, text, document.version, false, types, { body: cached!.parsed.ast.body, window: incremental.window })
      : new Analysis(document, target, parse(text, { target }), text, document.version, true, types);
    this.entries.set(document.uri, analysis);
    return analysis;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
  }
}
