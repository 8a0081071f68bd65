import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
  type MarkupContent,
  type Range as LspRange,
  type ServerCapabilities,
} from "vscode-languageserver";
import type { Analysis } from "../documents.ts";
import { scanCode } from "../lexical.ts";
import { allowedInProbe, availability, entryMarkdown, type LanguageEntry, type LanguageIndex } from "../language.ts";
import { probeAt, providersOf } from "../probes.ts";
import { completionFormats, markup } from "../markup.ts";
import type { BtLanguageServer } from "../server.ts";
import { SymbolIndex, type SymbolEntry } from "../symbols.ts";
import { walk, type MapDecl, type Program } from "@bt/parser";
import { buildModel } from "@bt/semantic";
import type { Machine } from "@bt/system";
import { completeAttachPoint } from "../attach-point-completion.ts";
import { chainBefore, fieldsAfterChain, variableCType } from "../machine-fields.ts";

/**
 * Completion: probe types where an attach point starts, config keys in `config = { … }`, maps
 * after `@`, visible scratch variables after `$`, and builtins, functions, the file's macros and
 * fns and statement keywords elsewhere in a body. Entries the target release lacks, or the probe
 * under the cursor does not allow (language data: `probes` / `notProbes`), are left out;
 * deprecated ones are tagged.
 */

export function capabilities(): ServerCapabilities {
  // `:` starts the next part of an attach point, `.` and `>` (of `->`) a field.
  return { completionProvider: { triggerCharacters: ["@", "$", ":", ".", ">", "/"], resolveProvider: false } };
}

export function register(server: BtLanguageServer): void {
  server.connection.onCompletion((params) => provideCompletion(server, params));
}

export function provideCompletion(server: BtLanguageServer, params: CompletionParams): CompletionItem[] | CompletionList {
  const analysis = server.analysis(params.textDocument.uri);
  if (!analysis) return [];
  const offset = analysis.document.offsetAt(params.position);
  const machine = server.machine.for(params.textDocument.uri);
  if (machine) {
    const fromMachine = completeFromMachine(analysis, offset, machine);
    server.machine.reportOwn();
    if (fromMachine) return fromMachine;
  }
  const items = complete(analysis, offset, server.language);
  const formats = completionFormats(server.clientCapabilities);
  for (const item of items) {
    const doc = item.documentation as MarkupContent | undefined;
    if (doc) item.documentation = markup(doc.value, formats);
  }
  return items;
}

/**
 * What only the machine can complete: the parts of an attach point after its provider, and
 * fields after `.` and `->`. Undefined where the cursor is elsewhere (the language completes it).
 */
function completeFromMachine(analysis: Analysis, offset: number, machine: Machine): CompletionList | undefined {
  const text = analysis.text;
  const context = scan(text, offset);
  if (context.inComment || context.inString) return undefined;
  const position = (at: number) => analysis.document.positionAt(at);
  if (context.depth === 0) {
    const start = attachPointStart(text, offset);
    const word = text.slice(start, offset);
    if (!word.includes(":")) return undefined;
    return completeAttachPoint(machine, { text: word, rangeFrom: (from) => ({ start: position(start + from), end: position(offset) }) });
  }
  const start = wordStart(text, offset);
  if (text[start] === "@" || text[start] === "$") return undefined;
  const chain = chainBefore(text, start);
  if (!chain) return undefined;
  const probe = probeAt(analysis.parsed.ast, offset);
  const fields = fieldsAfterChain(machine, chain, probe, (name) => variableCType(analysis.model, probe, name, start));
  if (!fields) return undefined;
  const range: LspRange = { start: position(start), end: position(offset) };
  return {
    isIncomplete: false,
    items: fields.map((f) => ({ label: f.name, kind: CompletionItemKind.Field, detail: f.type, textEdit: { range, newText: f.name } })),
  };
}

/** Start of the attach point the cursor is in: back to a blank, a comma or the start of the file. */
function attachPointStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && !/[\s,{}]/.test(text[i - 1])) i--;
  return i;
}

/** Statement keywords offered inside bodies (grammar words, not language data). */
const BODY_KEYWORDS = ["if", "else", "while", "for", "unroll", "return", "let", "break", "continue"];
/** Top-level keywords. */
const TOP_KEYWORDS = ["config", "macro", "fn", "import"];

export function complete(analysis: Analysis, offset: number, language: LanguageIndex): CompletionItem[] {
  const text = analysis.text;
  const context = scan(text, offset);
  if (context.inComment || context.inString) return [];
  const start = wordStart(text, offset);
  const word = text.slice(start, offset);
  const range: LspRange = { start: analysis.document.positionAt(start), end: analysis.document.positionAt(offset) };
  const target = analysis.target;

  const inConfig = analysis.parsed.ast.body.some(
    (n) => n.type === "ConfigBlock" && n.range.start.offset < offset && offset < n.range.end.offset,
  );
  if (inConfig) return fromEntries(language.entries("config", target), CompletionItemKind.Property, range, target);

  if (context.depth === 0) {
    // Only the provider is completed; after `kprobe:` come kernel names we do not know.
    if (word.includes(":")) return [];
    return [
      ...fromEntries(language.entries("probe", target), CompletionItemKind.Event, range, target),
      ...TOP_KEYWORDS.map((k) => keyword(k, range)),
    ];
  }

  // Field names after `.` / `->` need BTF, which the server does not have.
  const before = text.slice(0, start);
  if (/(\.|->)\s*$/.test(before)) return [];

  const elsewhere = (m: SymbolEntry) => m.occurrences.some((o) => o.range.end.offset < start || o.range.start.offset > offset);
  if (word.startsWith("@")) {
    // The `@` or `@na` being typed is itself parsed as a map: skip names that exist only there.
    return mapNames(analysis.parsed.ast, start, offset).map(([name, decl]) => ({
      label: name,
      kind: CompletionItemKind.Variable,
      detail: decl ? `map (${decl.kind.name})` : "map",
      textEdit: { range, newText: name },
    }));
  }
  if (word.startsWith("$")) {
    return itemSymbols(analysis, offset).variablesAt(offset).filter(elsewhere).map((v) => ({
      label: v.name,
      kind: CompletionItemKind.Variable,
      detail: v.declaredBy === "parameter" ? "parameter" : "scratch variable",
      textEdit: { range, newText: v.name },
    }));
  }

  // Only what the probe under the cursor allows (`retval` in return probes, no `ctx` in tracepoints).
  const probe = probeAt(analysis.parsed.ast, offset);
  const providers = probe ? providersOf(probe) : [];
  const valid = (entries: LanguageEntry[]) => entries.filter((e) => allowedInProbe(e, providers));
  const items: CompletionItem[] = [
    ...fromEntries(valid(language.entries("builtin", target)), CompletionItemKind.Constant, range, target),
    ...fromEntries(valid(language.entries("function", target)), CompletionItemKind.Function, range, target),
  ];
  for (const item of analysis.parsed.ast.body) {
    if (item.type === "MacroDef") {
      const name = item.name.name;
      const params = item.params.map((p) => p.name).join(", ");
      items.push({ label: name, kind: CompletionItemKind.Function, detail: `macro ${name}(${params})`, textEdit: { range, newText: name } });
    } else if (item.type === "FnDef") {
      const name = item.name.name;
      const params = item.params.map((p) => p.variable.name).join(", ");
      items.push({ label: name, kind: CompletionItemKind.Function, detail: `fn ${name}(${params})`, textEdit: { range, newText: name } });
    }
  }
  items.push(...BODY_KEYWORDS.map((k) => keyword(k, range)));
  return dedupe(items);
}

/**
 * The file's map names (with their `let @m = …` declaration) used outside [start, offset]: one walk
 * of the tree, not the whole file's semantic model, so completion right after an edit of a big
 * file stays cheap.
 */
function mapNames(program: Program, start: number, offset: number): [string, MapDecl | undefined][] {
  const maps = new Map<string, MapDecl | undefined>();
  walk(program, (node, parent) => {
    if (node.type === "AttachPoint") return false;
    if (node.type !== "MapRef") return undefined;
    const decl = parent?.type === "MapDecl" ? parent : undefined;
    if (node.range.end.offset < start || node.range.start.offset > offset) maps.set(node.name, decl ?? maps.get(node.name));
    return undefined;
  });
  return [...maps];
}

/** Symbols of the probe, fn or macro under the cursor only: scratch variables never leave it. */
function itemSymbols(analysis: Analysis, offset: number): SymbolIndex {
  const ast = analysis.parsed.ast;
  const item = ast.body.find((n) => n.range.start.offset <= offset && offset <= n.range.end.offset);
  return new SymbolIndex(buildModel({ ...ast, body: item ? [item] : [] }, analysis.target));
}

function keyword(name: string, range: LspRange): CompletionItem {
  return { label: name, kind: CompletionItemKind.Keyword, textEdit: { range, newText: name } };
}

function fromEntries(entries: LanguageEntry[], kind: CompletionItemKind, range: LspRange, target: string): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const entry of entries) {
    const state = availability(entry, target);
    if (state === "future" || state === "removed") continue;
    const item: CompletionItem = {
      label: entry.name,
      kind,
      detail: entry.signatures[0],
      documentation: { kind: MarkupKind.Markdown, value: entryMarkdown(entry, target) },
      textEdit: { range, newText: entry.name },
      insertTextFormat: InsertTextFormat.PlainText,
    };
    if (state === "deprecated") item.tags = [CompletionItemTag.Deprecated];
    items.push(item);
  }
  return items;
}

function dedupe(items: CompletionItem[]): CompletionItem[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.label) && seen.add(i.label));
}

/** Start of the word the cursor is in: names, `@map`, `$var`, and attach-point text at top level. */
function wordStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && /[A-Za-z0-9_:*]/.test(text[i - 1])) i--;
  if (i > 0 && (text[i - 1] === "@" || text[i - 1] === "$")) i--;
  return i;
}

interface LexicalContext {
  inComment: boolean;
  inString: boolean;
  /** Curly-brace nesting depth at the offset (0 = top level). */
  depth: number;
}

/**
 * A small scan of the text before the cursor. It works on broken code (which is what the user
 * has while typing), where the AST may have lost the construct around the cursor.
 */
export function scan(text: string, offset: number): LexicalContext {
  let depth = 0;
  const place = scanCode(
    text,
    offset,
    (c) => {
      if (c === "{") depth++;
      else if (c === "}") depth = Math.max(0, depth - 1);
    },
    // `#include`, `#!…` at top level: one line, no braces.
    { directive: () => depth === 0 },
  );
  return { inComment: place === "comment", inString: place === "string", depth };
}
