import { MarkupKind, type ClientCapabilities, type MarkupContent } from "vscode-languageserver";

/**
 * Hover and completion docs are written in Markdown; clients that only take plain text
 * (Emacs eglot 1.9 asks for `plaintext`) get the same text without the Markdown syntax.
 */
export function markup(value: string, accepted: MarkupKind[] | undefined): MarkupContent {
  if (!accepted || accepted.length === 0 || accepted.includes(MarkupKind.Markdown)) return { kind: MarkupKind.Markdown, value };
  return { kind: MarkupKind.PlainText, value: toPlainText(value) };
}

export function toPlainText(markdown: string): string {
  return markdown
    .split("\n")
    .filter((line) => !line.startsWith("```"))
    .join("\n")
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/(^|\s)_(.+?)_(?=\s|$)/gm, "$1$2")
    .replace(/`([^`]+)`/g, "$1");
}

export const hoverFormats = (c: ClientCapabilities) => c.textDocument?.hover?.contentFormat;
export const completionFormats = (c: ClientCapabilities) => c.textDocument?.completion?.completionItem?.documentationFormat;
