import { walk, type Range } from "@bt/parser";
import {
  SemanticTokensBuilder,
  type SemanticTokens,
  type SemanticTokensLegend,
  type SemanticTokensParams,
  type SemanticTokensRangeParams,
  type ServerCapabilities,
} from "vscode-languageserver";
import type { Analysis } from "../documents.ts";
import type { LanguageIndex } from "../language.ts";
import type { BtLanguageServer } from "../server.ts";

/**
 * Semantic tokens: what the TextMate grammar cannot know. Maps and scratch variables (writes
 * marked `modification`), builtins (`defaultLibrary`), calls of builtin functions versus the
 * file's own fns and macros, probe providers and probed functions, positional and fn/macro
 * parameters, struct fields, config keys and cast types.
 */

const TOKEN_TYPES = ["namespace", "function", "macro", "variable", "parameter", "property", "type"] as const;
const TOKEN_MODIFIERS = ["declaration", "readonly", "defaultLibrary", "modification", "deprecated"] as const;
type TokenType = (typeof TOKEN_TYPES)[number];
type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

export function capabilities(): ServerCapabilities {
  return { semanticTokensProvider: { legend: LEGEND, full: true, range: true } };
}

export function register(server: BtLanguageServer): void {
  server.connection.languages.semanticTokens.on((params) => provideSemanticTokens(server, params));
  server.connection.languages.semanticTokens.onRange((params) => provideSemanticTokens(server, params));
}

export function provideSemanticTokens(server: BtLanguageServer, params: SemanticTokensParams | SemanticTokensRangeParams): SemanticTokens {
  const analysis = server.analysis(params.textDocument.uri);
  if (!analysis) return { data: [] };
  const range = "range" in params ? params.range : undefined;
  const from = range ? analysis.document.offsetAt(range.start) : 0;
  const to = range ? analysis.document.offsetAt(range.end) : Number.POSITIVE_INFINITY;
  const builder = new SemanticTokensBuilder();
  for (const token of semanticTokens(analysis, server.language)) {
    if (token.end < from || token.start > to) continue;
    const position = analysis.document.positionAt(token.start);
    builder.push(position.line, position.character, token.end - token.start, TOKEN_TYPES.indexOf(token.type), modifierBits(token.modifiers));
  }
  return builder.build();
}

export interface Token {
  start: number;
  end: number;
  type: TokenType;
  modifiers: TokenModifier[];
}

function modifierBits(modifiers: TokenModifier[]): number {
  return modifiers.reduce((bits, m) => bits | (1 << TOKEN_MODIFIERS.indexOf(m)), 0);
}

/** The tokens of a document in source order, none overlapping and none spanning lines. */
export function semanticTokens(analysis: Analysis, language: LanguageIndex): Token[] {
  const tokens: Token[] = [];
  const target = analysis.target;
  const push = (range: Range, type: TokenType, modifiers: TokenModifier[] = []) => {
    if (range.end.offset > range.start.offset && range.start.line === range.end.line) tokens.push({ start: range.start.offset, end: range.end.offset, type, modifiers });
  };
  const { symbols } = analysis;
  const writes = new Set(symbols.occurrences.filter((o) => o.write).map((o) => o.node));
  const builtinModifiers = (name: string): TokenModifier[] | undefined => {
    const entry = language.find("builtin", name, target);
    if (!entry) return undefined;
    return entry.deprecated ? ["readonly", "defaultLibrary", "deprecated"] : ["readonly", "defaultLibrary"];
  };

  walk(analysis.parsed.ast, (node, parent) => {
    switch (node.type) {
      case "AttachPoint":
        push(node.provider.range, "namespace");
        if (node.func) push(node.func.range, "function");
        break;
      case "MapRef":
        push(node.range, "variable", writes.has(node) ? ["modification"] : []);
        break;
      case "Variable": {
        const isParameter = parent?.type === "FnParam" || parent?.type === "MacroDef";
        push(node.range, isParameter ? "parameter" : "variable", isParameter ? ["declaration"] : writes.has(node) ? ["modification"] : []);
        break;
      }
      case "PositionalParam":
      case "ParamCount":
        push(node.range, "parameter", ["readonly"]);
        break;
      case "Builtin":
        push(node.range, "variable", builtinModifiers(node.name.replace(/^__builtin_/, "")) ?? ["readonly", "defaultLibrary"]);
        break;
      case "Call": {
        const name = node.callee.name;
        if (symbols.macros.has(name)) push(node.callee.range, "macro");
        else if (symbols.fns.has(name)) push(node.callee.range, "function");
        else push(node.callee.range, "function", language.find("function", name, target) ? ["defaultLibrary"] : []);
        break;
      }
      case "MacroDef":
        push(node.name.range, "macro", ["declaration"]);
        break;
      case "FnDef":
        push(node.name.range, "function", ["declaration"]);
        break;
      case "FieldAccess":
        push(node.field.range, "property");
        break;
      case "ConfigItem":
        push(node.key.range, "property");
        break;
      case "NamedType":
        push(node.range, "type");
        break;
      case "Identifier": {
        // Names already given a token by their parent.
        if (parent?.type === "Call" && parent.callee === node) break;
        if (parent?.type === "FieldAccess" && parent.field === node) break;
        if (parent?.type === "ConfigItem" && parent.key === node) break;
        if ((parent?.type === "MacroDef" || parent?.type === "FnDef") && parent.name === node) break;
        if (parent?.type === "MacroDef") {
          push(node.range, "parameter", ["declaration"]);
          break;
        }
        const modifiers = builtinModifiers(node.name);
        if (modifiers) push(node.range, "variable", modifiers);
        break;
      }
      default:
        break;
    }
  });
  return tokens.sort((a, b) => a.start - b.start);
}
