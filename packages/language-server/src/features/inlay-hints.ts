import { walk, type Call, type Expression, type Probe } from "@bt/parser";
import { InlayHintKind, MarkupKind, type InlayHint, type InlayHintParams, type ServerCapabilities } from "vscode-languageserver";
import type { Analysis } from "../documents.ts";
import type { ImplicitArgument, LanguageIndex } from "../language.ts";
import type { BtLanguageServer } from "../server.ts";

/**
 * Inlay hints: what a builtin means in the probe's source language (`arg0` is `this` in a C++
 * member function probe, from the language data), and parameter names before the arguments of
 * calls to builtin functions (the overload the target accepts for that many arguments), the
 * file's macros and its fns. An argument that already says its parameter's name gets no hint.
 */

export function capabilities(): ServerCapabilities {
  return { inlayHintProvider: { resolveProvider: false } };
}

export function register(server: BtLanguageServer): void {
  server.connection.languages.inlayHint.on((params) => provideInlayHints(server, params));
}

export function provideInlayHints(server: BtLanguageServer, params: InlayHintParams): InlayHint[] | null {
  const analysis = server.analysis(params.textDocument.uri);
  if (!analysis) return null;
  const from = analysis.document.offsetAt(params.range.start);
  const to = analysis.document.offsetAt(params.range.end);
  return inlayHints(analysis, server.language).filter((h) => {
    const offset = analysis.document.offsetAt(h.position);
    return offset >= from && offset <= to;
  });
}

export function inlayHints(analysis: Analysis, language: LanguageIndex): InlayHint[] {
  const hints: InlayHint[] = [];
  const { document } = analysis;
  for (const item of analysis.parsed.ast.body) {
    if (item.type === "Probe") hints.push(...implicitArgumentHints(analysis, item, language));
  }
  walk(analysis.parsed.ast, (node) => {
    if (node.type !== "Call") return;
    const names = parameterNames(analysis, node, language);
    node.args.forEach((arg, i) => {
      const name = names[i];
      if (!name || arg.type === "TypeofType" || saysItsName(arg, name)) return;
      hints.push({ position: document.positionAt(arg.range.start.offset), label: `${name}:`, kind: InlayHintKind.Parameter, paddingRight: true });
    });
  });
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

function implicitArgumentHints(analysis: Analysis, probe: Probe, language: LanguageIndex): InlayHint[] {
  // Every attach point of the probe must agree, or the builtin means different things.
  const perAttachPoint = probe.attachPoints.map((a) => language.implicitArguments(a));
  if (perAttachPoint.length === 0) return [];
  const shared = perAttachPoint[0].filter((arg) => perAttachPoint.every((list) => list.some((o) => o.builtin === arg.builtin && o.name === arg.name)));
  if (shared.length === 0) return [];
  const byBuiltin = new Map<string, ImplicitArgument>(shared.map((a) => [a.builtin, a]));
  const hints: InlayHint[] = [];
  walk(probe.body, (node) => {
    if (node.type !== "Builtin" && node.type !== "Identifier") return;
    const implicit = byBuiltin.get(node.name);
    if (!implicit) return;
    hints.push({
      position: analysis.document.positionAt(node.range.end.offset),
      label: implicit.name,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: { kind: MarkupKind.Markdown, value: implicit.doc },
    });
  });
  return hints;
}

/** Parameter names for each argument position of a call (a variadic one only at its first). */
function parameterNames(analysis: Analysis, call: Call, language: LanguageIndex): (string | undefined)[] {
  const name = call.callee.name;
  const macro = analysis.symbols.macros.get(name);
  if (macro) return macro.params.map((p) => p.name);
  const fn = analysis.symbols.fns.get(name);
  if (fn) return fn.params.map((p) => p.variable.name);
  const count = call.args.length;
  const overloads = language.callSignatures(name, analysis.target);
  const fits = overloads.find((o) => o.minArgs <= count && (o.variadic || count <= o.maxArgs)) ?? overloads[0];
  if (!fits) return [];
  return fits.parameters.map((p) => p.label.replace(/^\.\.\./, "").split(/[?:]/)[0].trim());
}

/** `f($pid)` for a parameter `pid`, `f(@count)` for `count`: the hint would repeat the argument. */
function saysItsName(arg: Expression, name: string): boolean {
  const bare = (s: string) => s.replace(/^[@$]/, "");
  if (arg.type === "Variable" || arg.type === "MapRef" || arg.type === "Identifier" || arg.type === "Builtin") return bare(arg.name) === bare(name);
  return false;
}
