import { walk, type Node } from "@bt/parser";
import { FoldingRangeKind, type FoldingRange, type FoldingRangeParams, type ServerCapabilities } from "vscode-languageserver";
import type { Analysis } from "../documents.ts";
import type { BtLanguageServer } from "../server.ts";

/**
 * Folding from the syntax tree instead of indentation: probes, macros and fns from their header
 * (attach points spread over lines included), every `{ … }` block, config blocks, C definitions,
 * multi-line comments, runs of `//` comments and of `#include` lines. The closing line stays
 * visible.
 */

export function capabilities(): ServerCapabilities {
  return { foldingRangeProvider: true };
}

export function register(server: BtLanguageServer): void {
  server.connection.onFoldingRanges((params) => provideFoldingRanges(server, params));
}

export function provideFoldingRanges(server: BtLanguageServer, params: FoldingRangeParams): FoldingRange[] | null {
  const analysis = server.analysis(params.textDocument.uri);
  return analysis ? foldingRanges(analysis) : null;
}

export function foldingRanges(analysis: Analysis): FoldingRange[] {
  const line = (offset: number) => analysis.document.positionAt(offset).line;
  const byStart = new Map<number, FoldingRange>();
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
    if (endLine <= startLine) return;
    const existing = byStart.get(startLine);
    // One range per start line (clients keep only one); the outermost wins.
    if (existing && existing.endLine >= endLine) return;
    byStart.set(startLine, kind ? { startLine, endLine, kind } : { startLine, endLine });
  };
  const program = analysis.parsed.ast;
  // A closing `}` alone on its line stays visible; `};` or `} else {` too.
  const bodyEnd = (node: Node) => line(node.range.end.offset) - 1;

  for (const item of program.body) {
    if (item.type === "Probe" || item.type === "MacroDef" || item.type === "FnDef") add(line(item.range.start.offset), bodyEnd(item.body));
    else if (item.type === "ConfigBlock" || item.type === "CDefinition") add(line(item.range.start.offset), bodyEnd(item));
  }
  walk(program, (node) => {
    if (node.type === "Block") add(line(node.range.start.offset), bodyEnd(node));
  });

  let run: { start: number; end: number; kind: FoldingRangeKind } | undefined;
  const flush = () => {
    if (run) add(run.start, run.end, run.kind);
    run = undefined;
  };
  const extend = (startLine: number, endLine: number, kind: FoldingRangeKind) => {
    if (run && run.kind === kind && startLine === run.end + 1) run.end = endLine;
    else {
      flush();
      run = { start: startLine, end: endLine, kind };
    }
  };
  const lineStarts = [...program.comments, ...program.body.filter((n) => n.type === "CPreprocessor" || n.type === "Import")].sort(
    (a, b) => a.range.start.offset - b.range.start.offset,
  );
  for (const node of lineStarts) {
    const start = line(node.range.start.offset);
    const end = line(node.range.end.offset);
    if (node.type === "Comment" && node.kind === "block") {
      flush();
      add(start, end, FoldingRangeKind.Comment);
    } else if (node.type === "Comment") {
      // Only comments that start their line join a run (a trailing `// …` ends one).
      const before = analysis.text.slice(analysis.text.lastIndexOf("\n", node.range.start.offset - 1) + 1, node.range.start.offset);
      if (before.trim() === "") extend(start, end, FoldingRangeKind.Comment);
      else flush();
    } else {
      extend(start, end, FoldingRangeKind.Imports);
    }
  }
  flush();
  return [...byStart.values()].sort((a, b) => a.startLine - b.startLine);
}
