import { language as lang } from "@bt/parser";
import {
  LSPErrorCodes,
  ResponseError,
  type PrepareRenameParams,
  type Range,
  type RenameParams,
  type ServerCapabilities,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver";
import type { Analysis } from "../documents.ts";
import { navigationTarget } from "../navigation.ts";
import { toLspRange } from "../positions.ts";
import type { BtLanguageServer } from "../server.ts";
import type { SymbolEntry } from "../symbols.ts";

/**
 * Rename maps (global to the file), scratch variables (in the probe, fn, macro, block or
 * `for` loop they live in, as symbols.ts resolves them), and the file's macros and fns (the
 * definition and every call, as navigation.ts finds them). The new name may be given with or
 * without its sigil; a name that is not an identifier, or that is already used where the
 * renamed symbol is visible (which would merge two symbols), is refused with a message.
 */

export function capabilities(server: BtLanguageServer): ServerCapabilities {
  const prepare = server.clientCapabilities.textDocument?.rename?.prepareSupport === true;
  return { renameProvider: prepare ? { prepareProvider: true } : true };
}

export function register(server: BtLanguageServer): void {
  server.connection.onPrepareRename((params) => providePrepareRename(server, params));
  server.connection.onRenameRequest((params) => provideRename(server, params));
}

export function providePrepareRename(server: BtLanguageServer, params: PrepareRenameParams): { range: Range; placeholder: string } | null {
  const analysis = server.analysis(params.textDocument.uri);
  if (!analysis) return null;
  const offset = analysis.document.offsetAt(params.position);
  const occurrence = analysis.symbols.occurrenceAt(offset);
  if (occurrence) return { range: toLspRange(analysis.document, occurrence.range), placeholder: occurrence.symbol.name };
  const callable = navigationTarget(analysis, offset);
  const here = callable?.occurrences.find((o) => o.range.start.offset <= offset && offset <= o.range.end.offset);
  return callable && here ? { range: toLspRange(analysis.document, here.range), placeholder: callable.name } : null;
}

export function provideRename(server: BtLanguageServer, params: RenameParams): WorkspaceEdit | ResponseError<void> | null {
  const analysis = server.analysis(params.textDocument.uri);
  if (!analysis) return null;
  const result = renameEdits(analysis, analysis.document.offsetAt(params.position), params.newName);
  if (result === undefined) return null;
  if (typeof result === "string") return new ResponseError(LSPErrorCodes.RequestFailed, result);
  return { changes: { [params.textDocument.uri]: result } };
}

/** The edits of a rename, a message saying why it cannot be done, or undefined when nothing renamable is under the cursor. */
export function renameEdits(analysis: Analysis, offset: number, newName: string): TextEdit[] | string | undefined {
  const occurrence = analysis.symbols.occurrenceAt(offset);
  if (!occurrence) return renameCallable(analysis, offset, newName);
  const symbol = occurrence.symbol;
  const sigil = symbol.kind === "map" ? "@" : "$";
  const trimmed = newName.trim();
  const name = trimmed.startsWith("@") || trimmed.startsWith("$") ? trimmed : sigil + trimmed;
  const what = symbol.kind === "map" ? "map" : "scratch variable";
  if (!name.startsWith(sigil)) return `\`${symbol.name}\` is a ${what}: its name must start with \`${sigil}\`.`;
  const valid = symbol.kind === "map" ? /^@([A-Za-z_][A-Za-z0-9_]*)?$/ : /^\$[A-Za-z_][A-Za-z0-9_]*$/;
  if (!valid.test(name)) return `\`${name}\` is not a valid ${what} name.`;
  if (name === symbol.name) return [];
  const clash = conflict(analysis, symbol, name);
  if (clash) return clash;
  return symbol.occurrences.map((o) => ({ range: toLspRange(analysis.document, o.range), newText: name }));
}

/** A macro or fn: its definition and every call. Refused when the name is taken by another callable or a builtin function. */
function renameCallable(analysis: Analysis, offset: number, newName: string): TextEdit[] | string | undefined {
  const target = navigationTarget(analysis, offset);
  if (!target) return undefined;
  const what = analysis.symbols.macros.has(target.name) ? "macro" : "fn";
  const name = newName.trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `\`${name}\` is not a valid ${what} name.`;
  if (name === target.name) return [];
  const other = analysis.symbols.macros.get(name) ?? analysis.symbols.fns.get(name);
  if (other) return `\`${name}\` already exists (line ${other.range.start.line}).`;
  if (lang.findFunction(name) || lang.findBuiltin(name, analysis.target)) return `\`${name}\` is a bpftrace builtin: calls would stop reaching this ${what}.`;
  return target.occurrences.map((o) => ({ range: toLspRange(analysis.document, o.range), newText: name }));
}

/** Renaming to a name already in use where the symbol lives would turn two symbols into one. */
function conflict(analysis: Analysis, symbol: SymbolEntry, name: string): string | undefined {
  if (symbol.kind === "map") {
    const other = analysis.symbols.maps.get(name);
    return other ? `\`${name}\` already exists (line ${other.occurrences[0].range.start.line}).` : undefined;
  }
  const scope = symbol.scope!.range;
  for (const other of analysis.symbols.variables) {
    if (other.name !== name || !other.scope) continue;
    const r = other.scope.range;
    // Nested or same scopes share names; disjoint ones (two probes, sibling blocks) do not.
    const overlaps = r.start.offset < scope.end.offset && scope.start.offset < r.end.offset;
    if (overlaps) return `\`${name}\` is already used in this scope (line ${other.occurrences[0].range.start.line}).`;
  }
  return undefined;
}
