import type {
  DocumentFormattingParams,
  DocumentRangeFormattingParams,
  ServerCapabilities,
  TextEdit,
} from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { BtLanguageServer } from "../server.ts";
import { lineEdits, type OffsetEdit } from "../text-edits.ts";
import { filePathOf } from "../uri.ts";

/**
 * Formatting through prettier-plugin-bpftrace: the whole document, or only the changed lines
 * that touch the requested range. Edits are line diffs (text-edits.ts), so cursors and marks
 * outside the changes stay put; a file that changes almost everywhere gets one edit. A file the formatter refuses (syntax errors) gets no edits and one log
 * line.
 */

export function capabilities(server: BtLanguageServer): ServerCapabilities {
  if (!server.options.format) return {};
  return { documentFormattingProvider: true, documentRangeFormattingProvider: true };
}

export function register(server: BtLanguageServer): void {
  server.connection.onDocumentFormatting((params) => provideFormatting(server, params));
  server.connection.onDocumentRangeFormatting((params) => provideRangeFormatting(server, params));
}

export async function provideFormatting(server: BtLanguageServer, params: DocumentFormattingParams): Promise<TextEdit[] | null> {
  const document = server.documents.get(params.textDocument.uri);
  if (!document) return null;
  const edits = await formatEdits(server, document, params.options);
  return edits && edits.map((e) => e.edit);
}

export async function provideRangeFormatting(server: BtLanguageServer, params: DocumentRangeFormattingParams): Promise<TextEdit[] | null> {
  const document = server.documents.get(params.textDocument.uri);
  if (!document) return null;
  const edits = await formatEdits(server, document, params.options);
  if (!edits) return null;
  const from = document.offsetAt(params.range.start);
  const to = document.offsetAt(params.range.end);
  // Keep changes that overlap the range (touching counts, so an empty range on a line works).
  return edits.filter((e) => e.start <= to && e.end >= from).map((e) => e.edit);
}

async function formatEdits(
  server: BtLanguageServer,
  document: TextDocument,
  options: { tabSize: number; insertSpaces: boolean },
): Promise<OffsetEdit[] | null> {
  const format = server.options.format;
  if (!format) return null;
  const text = document.getText();
  let formatted: string;
  try {
    formatted = await format(text, { filepath: filePathOf(document.uri), tabWidth: options.tabSize, useTabs: !options.insertSpaces });
  } catch (error) {
    server.log(`not formatting ${document.uri}: ${firstLine((error as Error).message)}`);
    return null;
  }
  return lineEdits(document, text, formatted);
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
