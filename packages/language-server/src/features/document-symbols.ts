import {
  SymbolKind,
  type DocumentSymbol,
  type DocumentSymbolParams,
  type ServerCapabilities,
  type SymbolInformation,
} from "vscode-languageserver";
import type { Analysis } from "../documents.ts";
import { toLspRange } from "../positions.ts";
import type { BtLanguageServer } from "../server.ts";

/** Outline: probes, macros, fns, the config block, and one entry per map. */

export function capabilities(): ServerCapabilities {
  return { documentSymbolProvider: true };
}

export function register(server: BtLanguageServer): void {
  server.connection.onDocumentSymbol((params) => provideDocumentSymbols(server, params));
}

export function provideDocumentSymbols(server: BtLanguageServer, params: DocumentSymbolParams): DocumentSymbol[] | SymbolInformation[] | null {
  const analysis = server.analysis(params.textDocument.uri);
  if (!analysis) return null;
  const symbols = documentSymbols(analysis);
  if (server.clientCapabilities.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport) return symbols;
  // Old clients: flat list.
  const flat: SymbolInformation[] = [];
  const add = (s: DocumentSymbol, container?: string) => {
    flat.push({ name: s.name, kind: s.kind, location: { uri: params.textDocument.uri, range: s.range }, containerName: container });
    for (const c of s.children ?? []) add(c, s.name);
  };
  for (const s of symbols) add(s);
  return flat;
}

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const doc = analysis.document;
  const range = (r: Parameters<typeof toLspRange>[1]) => toLspRange(doc, r);
  const out: DocumentSymbol[] = [];
  for (const item of analysis.parsed.ast.body) {
    switch (item.type) {
      case "Probe": {
        if (item.attachPoints.length === 0) break;
        const first = item.attachPoints[0].range;
        const last = item.attachPoints[item.attachPoints.length - 1].range;
        const predicate = item.predicate ? analysis.text.slice(item.predicate.range.start.offset, item.predicate.range.end.offset) : undefined;
        out.push({
          name: item.attachPoints.map((a) => a.raw).join(", "),
          detail: predicate,
          kind: SymbolKind.Event,
          range: range(item.range),
          selectionRange: range({ start: first.start, end: last.end }),
        });
        break;
      }
      case "MacroDef":
        out.push({
          name: item.name.name,
          detail: `macro(${item.params.map((p) => p.name).join(", ")})`,
          kind: SymbolKind.Function,
          range: range(item.range),
          selectionRange: range(item.name.range),
        });
        break;
      case "FnDef":
        out.push({
          name: item.name.name,
          detail: `fn(${item.params.map((p) => p.variable.name).join(", ")})`,
          kind: SymbolKind.Function,
          range: range(item.range),
          selectionRange: range(item.name.range),
        });
        break;
      case "ConfigBlock":
        out.push({
          name: "config",
          kind: SymbolKind.Namespace,
          range: range(item.range),
          selectionRange: range(item.range),
          children: item.items.map((c) => ({
            name: c.key.name,
            kind: SymbolKind.Property,
            range: range(c.range),
            selectionRange: range(c.key.range),
          })),
        });
        break;
      default:
        break;
    }
  }
  for (const map of analysis.symbols.maps.values()) {
    if (map.name === "@" && map.occurrences.length === 0) continue;
    const def = map.definitions[0];
    out.push({
      name: map.name,
      detail: map.mapDecl ? map.mapDecl.kind.name : "map",
      kind: SymbolKind.Variable,
      range: range(map.mapDecl?.range ?? def.range),
      selectionRange: range(def.range),
    });
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
