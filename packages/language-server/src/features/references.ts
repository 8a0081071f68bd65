import type { Location, ReferenceParams, ServerCapabilities } from "vscode-languageserver";
import { navigationTarget } from "../navigation.ts";
import { toLspRange } from "../positions.ts";
import type { BtLanguageServer } from "../server.ts";

/** Find references of maps, scratch variables, macros and fns (within the file). */

export function capabilities(): ServerCapabilities {
  return { referencesProvider: true };
}

export function register(server: BtLanguageServer): void {
  server.connection.onReferences((params) => provideReferences(server, params));
}

export function provideReferences(server: BtLanguageServer, params: ReferenceParams): Location[] | null {
  const analysis = server.analysis(params.textDocument.uri);
  if (!analysis) return null;
  const target = navigationTarget(analysis, analysis.document.offsetAt(params.position));
  if (!target) return null;
  return target.occurrences
    .filter((o) => params.context.includeDeclaration || !o.definition)
    .map((o) => ({ uri: params.textDocument.uri, range: toLspRange(analysis.document, o.range) }));
}
