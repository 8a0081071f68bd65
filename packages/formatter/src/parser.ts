/**
 * The Prettier parser: our bpftrace parser, refusing text with syntax errors
 * rather than guessing, and handing Prettier the comments it should attach.
 */
import { parse as parseBpftrace, type Comment, type Diagnostic, type Node, type Program } from "@bt/parser";

/** Diagnostic codes that make a file unformattable (the grammar itself failed). */
const FATAL_CODES: ReadonlySet<Diagnostic["code"]> = new Set(["lex", "syntax", "input"]);

/** Thrown for a file we refuse to format. `loc` follows Prettier's convention (1-based lines and columns). */
export class BpftraceSyntaxError extends SyntaxError {
  readonly loc: { start: { line: number; column: number }; end: { line: number; column: number } };
  readonly diagnostics: Diagnostic[];
  /** The first error's message without the location suffix. */
  readonly reason: string;
  constructor(errors: Diagnostic[]) {
    const first = errors[0];
    const { start, end } = first.range;
    super(`${first.message} (${start.line}:${start.column})`);
    this.name = "SyntaxError";
    this.reason = first.message;
    this.loc = { start: { line: start.line, column: start.column }, end: { line: end.line, column: end.column } };
    this.diagnostics = errors;
  }
}

/** The fatal diagnostics of a parse (empty when the formatter may proceed). */
export function fatalDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "error" && FATAL_CODES.has(d.code));
}

/** Nodes printed verbatim: comments inside them belong to their text, not to Prettier. */
const VERBATIM = new Set<Node["type"]>(["CPreprocessor", "CDefinition", "AttachPoint", "Shebang"]);

/** Our parser's AST of `text`; throws `BpftraceSyntaxError` when the grammar failed. */
export function parseStrict(text: string): Program {
  const { ast, diagnostics } = parseBpftrace(text, { syntaxOnly: true });
  const fatal = fatalDiagnostics(diagnostics);
  if (fatal.length > 0) throw new BpftraceSyntaxError(fatal);
  return ast;
}

/** The AST without positions or comments, as comparable JSON (formatting must not change it). */
export function astShape(ast: Program): string {
  return JSON.stringify(ast, (k, v) => (k === "range" || k === "comments" ? undefined : v));
}

/** Comment texts in order, with each line's surrounding blanks ignored (block comments may be re-indented). */
export function commentTexts(ast: Program): string[] {
  return ast.comments.map((c: Comment) =>
    c.text
      .split("\n")
      .map((l) => l.trim())
      .join("\n"),
  );
}

type ParseWatcher = (text: string, ast: Program) => void;
const parseWatchers = new Set<ParseWatcher>();

/** Calls `watch` with every program parse() gives Prettier while `work` runs. */
export async function watchingParses<T>(watch: ParseWatcher, work: () => Promise<T>): Promise<T> {
  parseWatchers.add(watch);
  try {
    return await work();
  } finally {
    parseWatchers.delete(watch);
  }
}

export function parse(text: string): Program {
  const ast = parseStrict(text);
  for (const watch of parseWatchers) watch(text, ast);
  const verbatim: { start: number; end: number }[] = [];
  if (ast.shebang) verbatim.push({ start: ast.shebang.range.start.offset, end: ast.shebang.range.end.offset });
  for (const item of ast.body) {
    if (VERBATIM.has(item.type)) verbatim.push({ start: item.range.start.offset, end: item.range.end.offset });
    if (item.type === "Probe") {
      for (const ap of item.attachPoints) verbatim.push({ start: ap.range.start.offset, end: ap.range.end.offset });
    }
  }
  // Comments and verbatim spans both come in source order and spans do not overlap, so one
  // merge-like pass decides each comment (checking every span per comment was quadratic: seconds
  // on a 3 MB file with thousands of probes and comments).
  let next = 0;
  ast.comments = ast.comments.filter((c) => {
    while (next < verbatim.length && verbatim[next].end <= c.range.start.offset) next++;
    const v = verbatim[next];
    return !(v && c.range.start.offset >= v.start && c.range.end.offset <= v.end);
  });
  return ast;
}

/** A root whose text was formatted elsewhere (a deeply nested program, formatted on a large stack): printed as it is. */
export interface PreformattedProgram extends Program {
  formatted: string;
}

export const locStart = (node: { range: { start: { offset: number } } }): number => node.range.start.offset;
export const locEnd = (node: { range: { end: { offset: number } } }): number => node.range.end.offset;
