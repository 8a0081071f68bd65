import type { Node } from "@bt/parser";
import { MarkupKind, type Hover, type HoverParams, type MarkupContent, type ServerCapabilities } from "vscode-languageserver";
import type { Analysis } from "../documents.ts";
import { entryMarkdown, type LanguageIndex } from "../language.ts";
import { hoverFormats, markup } from "../markup.ts";
import { nodePath, toLspRange } from "../positions.ts";
import { probeAt } from "../probes.ts";
import type { BtLanguageServer } from "../server.ts";
import type { SymbolEntry } from "../symbols.ts";

/**
 * Hover: documentation of builtins, functions, probe types and config keys (with the release
 * that added them), and for maps, variables, macros and fns of the file where they are defined.
 */

export function capabilities(): ServerCapabilities {
  return { hoverProvider: true };
}

export function register(server: BtLanguageServer): void {
  server.connection.onHover((params) => provideHover(server, params));
}

export function provideHover(server: BtLanguageServer, params: HoverParams): Hover | null {
  const analysis = server.analysis(params.textDocument.uri);
  if (!analysis) return null;
  const result = hoverAt(analysis, analysis.document.offsetAt(params.position), server.language);
  if (result) result.contents = markup((result.contents as MarkupContent).value, hoverFormats(server.clientCapabilities));
  return result;
}

export function hoverAt(analysis: Analysis, offset: number, language: LanguageIndex): Hover | null {
  const target = analysis.target;
  const occurrence = analysis.symbols.occurrenceAt(offset);
  if (occurrence) return hover(analysis, occurrence.node, symbolMarkdown(analysis, occurrence.symbol));

  const path = nodePath(analysis.parsed.ast, offset);
  const node = path.at(-1);
  const parent = path.at(-2);
  if (!node) return null;

  switch (node.type) {
    case "AttachPoint": {
      const entry = language.find("probe", node.provider.value, target) ?? (node.providerCanonical && language.find("probe", node.providerCanonical, target));
      return entry ? hover(analysis, node, entryMarkdown(entry, target)) : null;
    }
    case "Builtin": {
      const entry = language.find("builtin", node.name, target);
      return entry ? hover(analysis, node, entryMarkdown(entry, target) + implicitNote(analysis, offset, node.name, language)) : null;
    }
    case "Identifier": {
      const name = node.name;
      if (parent?.type === "ConfigItem" && parent.key === node) {
        const entry = language.find("config", name, target);
        return entry ? hover(analysis, node, entryMarkdown(entry, target)) : null;
      }
      const isCallee = parent?.type === "Call" && parent.callee === node;
      const fn = analysis.symbols.fns.get(name);
      if (fn && isCallee) {
        const params = fn.params.map((p) => `${p.variable.name}: ${source(analysis, p.typeRef)}`).join(", ");
        return hover(analysis, node, code(`fn ${name}(${params}): ${source(analysis, fn.returnType)}`) + `\n\nDefined at line ${fn.range.start.line}.`);
      }
      const macro = analysis.symbols.macros.get(name);
      if (macro && (isCallee || parent?.type !== "FieldAccess")) {
        const params = macro.params.map((p) => p.name).join(", ");
        return hover(analysis, node, code(`macro ${name}(${params})`) + `\n\nDefined at line ${macro.range.start.line}.`);
      }
      const entry = isCallee ? (language.find("function", name, target) ?? language.find("builtin", name, target)) : (language.find("builtin", name, target) ?? language.find("function", name, target));
      return entry ? hover(analysis, node, entryMarkdown(entry, target) + implicitNote(analysis, offset, name, language)) : null;
    }
    default:
      return null;
  }
}

/** What the builtin means in this probe's source language, when every attach point agrees (`arg0` is `this`). */
function implicitNote(analysis: Analysis, offset: number, name: string, language: LanguageIndex): string {
  const probe = probeAt(analysis.parsed.ast, offset);
  if (!probe || probe.attachPoints.length === 0) return "";
  const meanings = probe.attachPoints.map((a) => language.implicitArguments(a).find((i) => i.builtin === name));
  const first = meanings[0];
  if (!first || meanings.some((m) => m?.name !== first.name)) return "";
  return `\n\n**In this probe \`${name}\` is \`${first.name}\`.** ${first.doc}`;
}

function hover(analysis: Analysis, node: Node, value: string): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: toLspRange(analysis.document, node.range) };
}

function code(text: string): string {
  return "```bpftrace\n" + text + "\n```";
}

function source(analysis: Analysis, node: Node): string {
  return analysis.text.slice(node.range.start.offset, node.range.end.offset);
}

function lines(symbol: SymbolEntry, which: "definitions" | "occurrences"): string {
  const numbers = [...new Set(symbol[which].map((o) => o.range.start.line))];
  return numbers.length === 1 ? `line ${numbers[0]}` : `lines ${numbers.join(", ")}`;
}

function symbolMarkdown(analysis: Analysis, symbol: SymbolEntry): string {
  const uses = `${symbol.occurrences.length} reference${symbol.occurrences.length === 1 ? "" : "s"}`;
  if (symbol.kind === "map") {
    if (symbol.mapDecl) {
      return code(source(analysis, symbol.mapDecl)) + `\n\nMap declared at line ${symbol.mapDecl.range.start.line}; ${uses}.`;
    }
    const written = symbol.occurrences.some((o) => o.write);
    return code(`${symbol.name} (map)`) + `\n\n${written ? "Assigned at" : "Used at"} ${lines(symbol, "definitions")}; ${uses}.`;
  }
  const owner = symbol.scope ? scopeName(analysis, symbol.scope) : "the program";
  const how =
    symbol.declaredBy === "let"
      ? "Declared with `let` at"
      : symbol.declaredBy === "parameter"
        ? "Parameter declared at"
        : symbol.declaredBy === "for"
          ? "Loop variable declared at"
          : symbol.declaredBy === "assignment"
            ? "First assigned at"
            : "First used at";
  return code(`${symbol.name} (scratch variable of ${owner})`) + `\n\n${how} ${lines(symbol, "definitions")}; ${uses}.`;
}

function scopeName(analysis: Analysis, scope: Node): string {
  // The scope is a probe, fn, macro, or a block/loop inside one: name the enclosing item.
  const item = analysis.parsed.ast.body.find((n) => n.range.start.offset <= scope.range.start.offset && scope.range.end.offset <= n.range.end.offset);
  if (!item) return "the program";
  if (item.type === "Probe") return item.attachPoints.map((a) => a.raw).join(", ");
  if (item.type === "FnDef") return `fn ${item.name.name}`;
  if (item.type === "MacroDef") return `macro ${item.name.name}`;
  return "the program";
}
