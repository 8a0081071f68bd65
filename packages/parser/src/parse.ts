import "./polyfill.ts";
import type { IToken, IRecognitionException } from "chevrotain";
import type * as A from "./ast.ts";
import { lex } from "./lexer.ts";
import * as T from "./lexer.ts";
import { btParser } from "./grammar.ts";
import { AstBuilder } from "./cst-to-ast.ts";
import { LATEST_RELEASE, toRelease, type Release } from "./versions.ts";
import { checkProgram } from "./checks.ts";
import { findTooDeep, onLargeStack } from "./nesting.ts";
import { escapedByteValue, isEscapedByte } from "./source-bytes.ts";

export interface ParseOptions {
  /** bpftrace release the program is written for (`0.16` … `0.27`); default the newest. */
  target?: Release | string;
  /**
   * Take nesting as deep as bpftrace does (BPFTRACE_NESTING) instead of MAX_NESTING levels; only
   * safe on a large stack. Default: whether this thread was started with one (runOnLargeStack).
   */
  largeStack?: boolean;
  /**
   * The program runs with `bpftrace -p PID`: a uprobe, uretprobe or usdt attach point may leave
   * out its binary (`uprobe:func`), which then defaults to the process's executable.
   */
  withPid?: boolean;
  /**
   * Only the diagnostics that make the text something other than a bpftrace program (codes
   * `lex`, `syntax`, `input`): the release, name and attach-point checks are skipped (bt-fmt
   * needs no more; on big10.bt they were about 5% of its time).
   */
  syntaxOnly?: boolean;
}

export interface ParseResult {
  ast: A.Program;
  diagnostics: A.Diagnostic[];
  target: Release;
}


/** Parses bpftrace source. Never throws: every problem is a diagnostic. */
export function parse(text: string, options: ParseOptions = {}): ParseResult {
  const target = (options.target && toRelease(String(options.target))) || LATEST_RELEASE;
  const diagnostics: A.Diagnostic[] = [];
  try {
    return parseUnchecked(text, target, diagnostics, options.largeStack ?? onLargeStack(), options.withPid ?? false, options.syntaxOnly ?? false);
  } catch (error) {
    // Defensive: a bug in a later stage must not take a user's editor or CI job down.
    const at = { offset: 0, line: 1, column: 1 };
    diagnostics.push({
      severity: "error",
      code: "input",
      message: `internal parser error: ${error instanceof Error ? error.message : String(error)}`,
      range: { start: at, end: at },
    });
    return { ast: { type: "Program", body: [], comments: [], range: { start: at, end: at } }, diagnostics, target };
  }
}

function parseUnchecked(text: string, target: Release, diagnostics: A.Diagnostic[], largeStack: boolean, withPid: boolean, syntaxOnly: boolean): ParseResult {
  const builder = new AstBuilder(text);
  const nul = text.indexOf("\u0000");
  if (nul >= 0) {
    // Binary data: one clear diagnostic instead of a diagnostic for every stray byte.
    const pos = builder.position(nul);
    diagnostics.push({ severity: "error", code: "input", message: "binary data (NUL byte): this is not a bpftrace program", range: { start: pos, end: pos } });
    const start = { offset: 0, line: 1, column: 1 };
    return { ast: { type: "Program", body: [], comments: [], range: { start, end: builder.position(text.length) } }, diagnostics, target };
  }
  const hasByteOrderMark = text.charCodeAt(0) === 0xfeff;
  if (hasByteOrderMark) {
    // bpftrace reads the mark as part of the first token ("invalid character", "Invalid probe type"):
    // one diagnostic that names it, in every tool, instead of silently accepting or a confusing syntax error.
    diagnostics.push({
      severity: "error",
      code: "input",
      message: "byte-order mark (U+FEFF) at the start of the file: bpftrace does not accept it; save the file as UTF-8 without BOM",
      range: { start: builder.position(0), end: builder.position(1) },
    });
  }
  const lexed = lex(text);
  for (const e of lexed.errors) {
    if (hasByteOrderMark && e.offset === 0 && e.length === 1) continue; // reported above
    const code = text.charCodeAt(e.offset);
    diagnostics.push({
      severity: "error",
      code: "lex",
      message: isEscapedByte(code)
        ? `invalid UTF-8 byte 0x${escapedByteValue(code).toString(16)} outside a string or comment`
        : `unexpected character ${JSON.stringify(text.slice(e.offset, e.offset + 1))}`,
      range: { start: builder.position(e.offset), end: builder.position(e.offset + e.length) },
    });
  }
  const comments: A.Comment[] = [];
  for (let i = 0; i < lexed.comments.length; i++) {
    const c = lexed.comments[i];
    const range = builder.tokenRange(c);
    comments.push({ type: "Comment", kind: c.image.startsWith("//") ? "line" : "block", text: c.image, range });
    if (c.tokenType === T.UnterminatedComment) {
      diagnostics.push({ severity: "error", code: "lex", message: "end of file during comment", range });
    }
  }
  const tokens = limitNesting(lexed.tokens, builder, diagnostics, largeStack);
  // Indexed: parse() runs once per file, often before it is optimised, and a for-of loop over
  // every token would then allocate an iterator result for each.
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].tokenType === T.UnterminatedString) {
      diagnostics.push({ severity: "error", code: "lex", message: "unterminated string", range: builder.tokenRange(tokens[i]) });
    }
  }
  btParser.input = tokens;
  btParser.topLevelSink = (item) => builder.addTopLevelItem(item);
  let syntaxErrors: IRecognitionException[];
  try {
    btParser.program();
    syntaxErrors = btParser.errors;
  } finally {
    btParser.topLevelSink = undefined;
    // The parser is shared: without this it would hold the whole token vector (about 13 bytes per
    // source byte) until the next parse, e.g. for as long as a language server keeps a file open.
    btParser.input = NO_TOKENS;
  }
  for (const e of syntaxErrors) diagnostics.push(toDiagnostic(e, builder, text.length));
  const ast = builder.finish(comments);
  diagnostics.push(...builder.diagnostics);
  diagnostics.push(...checkProgram(ast, target, text, withPid, syntaxOnly));
  diagnostics.sort((a, b) => a.range.start.offset - b.range.start.offset);
  for (const d of diagnostics) d.message = printable(d.message);
  return { ast, diagnostics: dedupe(diagnostics), target };
}

/** What the shared parser is left holding between parses (see parseUnchecked). */
const NO_TOKENS: IToken[] = [];

/**
 * Chevrotain's recursive descent would overflow the stack on 10,000 nested
 * brackets or prefix operators; cut the token stream before the top-level item where nesting
 * passes the limit (findTooDeep) so everything before it still parses.
 */
function limitNesting(tokens: IToken[], builder: AstBuilder, diagnostics: A.Diagnostic[], largeStack: boolean): IToken[] {
  const tooDeep = findTooDeep(tokens, largeStack);
  if (!tooDeep) return tokens;
  diagnostics.push({ severity: "error", code: "syntax", message: tooDeep.problem.message, range: builder.tokenRange(tooDeep.problem.token) });
  return tokens.slice(0, tooDeep.itemStart);
}

function toDiagnostic(e: IRecognitionException, builder: AstBuilder, textLength: number): A.Diagnostic {
  const t = e.token;
  let range: A.Range;
  if (t.tokenType?.name === "EOF" || !Number.isFinite(t.startOffset) || t.startOffset < 0) {
    const prev = (e as { previousToken?: IToken }).previousToken;
    const pos = prev && Number.isFinite(prev.startOffset) && prev.startOffset >= 0 ? builder.position(prev.startOffset + prev.image.length) : builder.position(textLength);
    range = { start: pos, end: pos };
  } else {
    range = builder.tokenRange(t);
  }
  return { severity: "error", code: "syntax", message: e.message, range };
}

/** Messages quote source text; control characters in it are shown escaped, never sent to a terminal raw. */
function printable(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

function dedupe(diagnostics: A.Diagnostic[]): A.Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.range.start.offset}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
