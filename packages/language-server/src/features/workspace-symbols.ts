import { type DocumentSymbol, type ServerCapabilities, type SymbolInformation, type WorkspaceSymbolParams } from "vscode-languageserver";
import type { BtLanguageServer } from "../server.ts";
import { documentSymbols } from "./document-symbols.ts";

/**
 * Workspace symbols: the outline entries (probes, macros, fns, config keys, maps) of every open
 * document whose name contains the query's characters in order, case-insensitively (the fuzzy
 * match editors use for symbol pickers). Files that are not open are not read.
 */

export function capabilities(): ServerCapabilities {
  return { workspaceSymbolProvider: true };
}

export function register(server: BtLanguageServer): void {
  server.connection.onWorkspaceSymbol((params) => provideWorkspaceSymbols(server, params));
}

export function provideWorkspaceSymbols(server: BtLanguageServer, params: WorkspaceSymbolParams): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const document of server.documents.all()) {
    const analysis = server.analysis(document.uri);
    if (!analysis) continue;
    const add = (symbol: DocumentSymbol, container?: string) => {
      if (matchesQuery(symbol.name, params.query)) {
        out.push({ name: symbol.name, kind: symbol.kind, location: { uri: document.uri, range: symbol.selectionRange }, containerName: container });
      }
      for (const child of symbol.children ?? []) add(child, symbol.name);
    };
    for (const symbol of documentSymbols(analysis)) add(symbol);
  }
  return out;
}

/** Subsequence match: `stt` finds `@start_times`. */
export function matchesQuery(name: string, query: string): boolean {
  const haystack = name.toLowerCase();
  let at = 0;
  for (const char of query.toLowerCase()) {
    at = haystack.indexOf(char, at);
    if (at === -1) return false;
    at++;
  }
  return true;
}
