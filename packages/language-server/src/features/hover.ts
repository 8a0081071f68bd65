import type { FieldAccess, Node, Variable } from "@bt/parser";
import { typeName, type BtType, type SemanticModel } from "@bt/semantic";
import type { Machine } from "@bt/system";
import { chainBefore, kernelFunctionSignature, typeOfChain, uretprobeReturnNote } from "../machine-fields.ts";
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
  const uri = params.textDocument.uri;
  const result = hoverAt(analysis, analysis.document.offsetAt(params.position), server.language, server.machine.for(uri), () => analysis.model);
  server.machine.reportOwn();
  if (result) result.contents = markup((result.contents as MarkupContent).value, hoverFormats(server.clientCapabilities));
  return result;
}

/**
 * `modelOf` (called only where a type is shown) adds inferred types (`$x : uint64`, `@m[int32, string] : count`); `machine` adds kernel
 * function signatures on attach points and the C types of fields.
 */
export function hoverAt(analysis: Analysis, offset: number, language: LanguageIndex, machine?: Machine, modelOf?: () => SemanticModel): Hover | null {
  const target = analysis.target;
  // The file's symbols (the semantic model of the whole file) only where a map or variable may be.
  const occurrence = nearSigil(analysis.text, offset) ? analysis.symbols.occurrenceAt(offset) : undefined;
  if (occurrence) {
    const typed = modelOf && symbolType(modelOf(), occurrence.node);
    return hover(analysis, occurrence.node, (typed ? code(typed) + "\n\n" : "") + symbolMarkdown(analysis, occurrence.symbol));
  }

  const path = nodePath(analysis.parsed.ast, offset);
  const node = path.at(-1);
  const parent = path.at(-2);
  if (!node) return null;

  switch (node.type) {
    case "AttachPoint": {
      const entry = language.find("probe", node.provider.value, target) ?? (node.providerCanonical && language.find("probe", node.providerCanonical, target));
      const signature = machine && kernelFunctionSignature(machine, node);
      const docs = entry ? entryMarkdown(entry, target) : undefined;
      if (!signature) return docs ? hover(analysis, node, docs) : null;
      return hover(analysis, node, "```c\n" + signature + "\n```" + (docs ? `\n\n${docs}` : ""));
    }
    case "Builtin": {
      const entry = language.find("builtin", node.name, target);
      return entry ? hover(analysis, node, entryMarkdown(entry, target) + implicitNote(analysis, offset, node.name, language, machine)) : null;
    }
    case "Identifier": {
      const name = node.name;
      if (parent?.type === "FieldAccess" && parent.field === node) return fieldHover(analysis, parent, machine, modelOf?.());
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
      return entry ? hover(analysis, node, entryMarkdown(entry, target) + implicitNote(analysis, offset, name, language, machine)) : null;
    }
    default:
      return null;
  }
}

/** Whether the cursor touches a `@map` or `$variable` (its sigil, its name, or just after it). */
function nearSigil(text: string, offset: number): boolean {
  let start = offset;
  while (start > 0 && /\w/.test(text[start - 1])) start--;
  const sigil = (c: string | undefined) => c === "@" || c === "$";
  return sigil(text[start - 1]) || sigil(text[offset]);
}

/** `args.filename : string` from the type checker, or the field's C type from the machine. */
function fieldHover(analysis: Analysis, access: FieldAccess, machine?: Machine, model?: SemanticModel): Hover | null {
  const label = source(analysis, access);
  const inferred = model?.types.typeOf(access);
  const cType = machine && fieldCType(analysis, access, machine);
  const lines: string[] = [];
  if (inferred && inferred.k !== "unknown") lines.push(`${label} : ${displayType(inferred)}`);
  if (cType) lines.push(`// C: ${cType}`);
  return lines.length ? hover(analysis, access.field, code(lines.join("\n"))) : null;
}

function fieldCType(analysis: Analysis, access: FieldAccess, machine: Machine): string | undefined {
  const chain = chainBefore(analysis.text, access.field.range.start.offset);
  return chain && typeOfChain(machine, [...chain, access.field.name], probeAt(analysis.parsed.ast, access.range.start.offset));
}

/** `$x : uint64`, `@m[int32, string] : count` — what the type checker inferred, if anything. */
function symbolType(model: SemanticModel, node: Node): string | undefined {
  if (node.type === "Variable") {
    const symbol = model.symbolOf(node as Variable);
    const type = symbol && model.types.variableType(symbol);
    return type && type.k !== "unknown" ? `${symbol.name} : ${displayType(type)}` : undefined;
  }
  if (node.type !== "MapRef") return undefined;
  const name = (node as { name: string }).name;
  const map = model.maps.get(name);
  const value = model.types.mapValueType(name);
  const keyed = map?.uses.find((u) => u.access && u.access.keys.length > 0)?.access;
  const keys = keyed ? `[${keyed.keys.map((k) => displayType(model.types.typeOf(k))).join(", ")}]` : "";
  if (!keys && (!value || value.k === "unknown")) return undefined;
  return `${name}${keys} : ${value ? displayType(value) : "unknown"}`;
}

/** typeName, with aggregations named as bpftrace prints them in map types (`count`, `hist`). */
function displayType(type: BtType): string {
  return type.k === "aggregation" ? type.fn : typeName(type);
}

/**
 * What the builtin means in this probe's source language, when every attach point agrees (`arg0` is `this`);
 * for `retval` of a uretprobe, what the function returns by the machine's DWARF.
 */
function implicitNote(analysis: Analysis, offset: number, name: string, language: LanguageIndex, machine?: Machine): string {
  const probe = probeAt(analysis.parsed.ast, offset);
  const returns = machine && name === "retval" ? uretprobeReturnNote(machine, probe) : undefined;
  if (returns) return `\n\n${returns}`;
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
