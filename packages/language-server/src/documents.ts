import { parse, type ParseResult, type Release } from "@bt/parser";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { SymbolIndex } from "./symbols.ts";

/** One parsed version of a document, shared by every feature. */
export class Analysis {
  private index?: SymbolIndex;

  constructor(
    readonly document: TextDocument,
    readonly target: Release,
    readonly parsed: ParseResult,
  ) {}

  get text(): string {
    return this.document.getText();
  }

  /** Maps, variables, macros and fns of the file (computed on first use). */
  get symbols(): SymbolIndex {
    this.index ??= new SymbolIndex(this.parsed.ast);
    return this.index;
  }
}

/**
 * Parse cache keyed by URI: a document is parsed once per (version, target), however many
 * requests ask for it.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, Analysis>();

  constructor(private readonly target: () => Release) {}

  get(document: TextDocument): Analysis {
    const target = this.target();
    const cached = this.entries.get(document.uri);
    if (cached && cached.document.version === document.version && cached.target === target && cached.document === document) return cached;
    const analysis = new Analysis(document, target, parse(document.getText(), { target }));
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
