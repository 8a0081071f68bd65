import { type DocumentSymbol, type ServerCapabilities, type SymbolInformation, type WorkspaceSymbolParams } from "vscode-languageserver";
import type { BtLanguageServer } from "../server.ts";
import { WorkspaceFiles } from "../workspace-files.ts";
import { documentSymbols } from "./document-symbols.ts";

/**
 * Workspace symbols: the outline entries (probes, macros, fns, config keys, maps) of every open
 * document and of every other `.bt` file in the workspace folders, whose name contains the
 * query's characters in order, case-insensitively (the fuzzy match editors use for symbol
 * pickers). An open document is read from the editor, not from disk.
 */

export function capabilities(): ServerCapabilities {
  return { workspaceSymbolProvider: true };
}

export function register(server: BtLanguageServer): void {
  const files = new WorkspaceFiles(() => server.workspaceFolderPaths, documentSymbols, (m) => server.log(m));
  server.connection.onWorkspaceSymbol((params) => provideWorkspaceSymbols(server, files, params));
}

export async function provideWorkspaceSymbols(server: BtLanguageServer, files: WorkspaceFiles, params: WorkspaceSymbolParams): Promise<SymbolInformation[]> {
  const out: SymbolInformation[] = [];
  const open = new Set<string>();
  for (const document of server.documents.all()) {
    open.add(document.uri);
    const analysis = server.analysis(document.uri);
    if (analysis) collect(out, document.uri, documentSymbols(analysis), params.query);
  }
  for (const file of await files.outlinesOf(server.target, open)) collect(out, file.uri, file.symbols, params.query);
  return out;
}

function collect(out: SymbolInformation[], uri: string, symbols: DocumentSymbol[], query: string): void {
  const add = (symbol: DocumentSymbol, container?: string) => {
    if (matchesQuery(symbol.name, query)) {
      out.push({ name: symbol.name, kind: symbol.kind, location: { uri, range: symbol.selectionRange }, containerName: container });
    }
    for (const child of symbol.children ?? []) add(child, symbol.name);
  };
  for (const symbol of symbols) add(symbol);
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
