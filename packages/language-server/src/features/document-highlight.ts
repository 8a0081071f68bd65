import {
  DocumentHighlightKind,
  type DocumentHighlight,
  type DocumentHighlightParams,
  type ServerCapabilities,
} from "vscode-languageserver";
import { navigationTarget } from "../navigation.ts";
import { toLspRange } from "../positions.ts";
import type { BtLanguageServer } from "../server.ts";

/** Highlight every occurrence of the map/variable/macro under the cursor; stores are "write". */

export function capabilities(): ServerCapabilities {
  return { documentHighlightProvider: true };
}

export function register(server: BtLanguageServer): void {
  server.connection.onDocumentHighlight((params) => provideDocumentHighlight(server, params));
}

export function provideDocumentHighlight(server: BtLanguageServer, params: DocumentHighlightParams): DocumentHighlight[] | null {
  const analysis = server.analysis(params.textDocument.uri);
  if (!analysis) return null;
  const target = navigationTarget(analysis, analysis.document.offsetAt(params.position));
  if (!target) return null;
  return target.occurrences.map((o) => ({
    range: toLspRange(analysis.document, o.range),
    kind: o.write ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
  }));
}
