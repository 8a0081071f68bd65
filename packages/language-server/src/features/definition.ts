import type { DefinitionParams, Location, ServerCapabilities } from "vscode-languageserver";
import { navigationTarget } from "../navigation.ts";
import { toLspRange } from "../positions.ts";
import type { BtLanguageServer } from "../server.ts";

/**
 * Go to definition: a map's `let @m = …` declaration or else the places that assign it; a
 * scratch variable's `let`, parameter, `for` or first assignment; a macro's or fn's name.
 */

export function capabilities(): ServerCapabilities {
  return { definitionProvider: true };
}

export function register(server: BtLanguageServer): void {
  server.connection.onDefinition((params) => provideDefinition(server, params));
}

export function provideDefinition(server: BtLanguageServer, params: DefinitionParams): Location[] | null {
  const analysis = server.analysis(params.textDocument.uri);
  if (!analysis) return null;
  const target = navigationTarget(analysis, analysis.document.offsetAt(params.position));
  if (!target) return null;
  return target.definitions.map((d) => ({ uri: params.textDocument.uri, range: toLspRange(analysis.document, d.range) }));
}
