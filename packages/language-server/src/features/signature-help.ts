import type {
  MarkupKind,
  ParameterInformation,
  ServerCapabilities,
  SignatureHelp,
  SignatureHelpParams,
  SignatureInformation,
} from "vscode-languageserver";
import type { Node } from "@bt/parser";
import type { Analysis } from "../documents.ts";
import { buildSignature, type CallSignature, type LanguageIndex } from "../language.ts";
import { scanCode } from "../lexical.ts";
import { markup } from "../markup.ts";
import type { BtLanguageServer } from "../server.ts";

/**
 * Signature help: inside the parentheses of a call, the callee's overloads (builtin functions and
 * call-style builtins from the language data for the target release, and the file's own `fn`s and
 * `macro`s) with the parameter the cursor is on. The call is found by scanning the text, not the
 * AST, so it works while the call is still being typed (`printf("%d", |`) and does not parse.
 */

export function capabilities(): ServerCapabilities {
  return { signatureHelpProvider: { triggerCharacters: ["(", ","], retriggerCharacters: [")"] } };
}

export function register(server: BtLanguageServer): void {
  server.connection.onSignatureHelp((params) => provideSignatureHelp(server, params));
}

export function provideSignatureHelp(server: BtLanguageServer, params: SignatureHelpParams): SignatureHelp | null {
  const analysis = server.analysis(params.textDocument.uri);
  if (!analysis) return null;
  const info = server.clientCapabilities.textDocument?.signatureHelp?.signatureInformation;
  return signatureHelpAt(analysis, analysis.document.offsetAt(params.position), server.language, {
    formats: info?.documentationFormat,
    labelOffsets: info?.parameterInformation?.labelOffsetSupport === true,
  });
}

export interface SignatureHelpOptions {
  formats?: MarkupKind[];
  /** The client takes `[start, end]` parameter labels (LSP 3.14); else the parameter text. */
  labelOffsets?: boolean;
}

export function signatureHelpAt(analysis: Analysis, offset: number, language: LanguageIndex, options: SignatureHelpOptions = {}): SignatureHelp | null {
  const call = enclosingCall(analysis.text, offset);
  if (!call) return null;
  const signatures = userSignatures(analysis, call.name) ?? language.callSignatures(call.name, analysis.target);
  if (signatures.length === 0) return null;
  const argIndex = call.commas;
  // The first overload that takes this many arguments (current ones come first), else the first.
  let active = signatures.findIndex((s) => argIndex < s.maxArgs || (s.variadic && s.parameters.length > 0));
  if (active < 0) active = 0;
  const activeParameter = (s: CallSignature) => (s.variadic && argIndex >= s.parameters.length ? s.parameters.length - 1 : argIndex);
  return {
    signatures: signatures.map((s): SignatureInformation => {
      const doc = s.doc + (s.deprecated ? `\n\n_Deprecated since bpftrace ${s.deprecated}._` : "");
      return {
        label: s.label,
        ...(doc ? { documentation: markup(doc, options.formats) } : {}),
        parameters: s.parameters.map((p): ParameterInformation => ({ label: options.labelOffsets ? [p.start, p.end] : p.label })),
        activeParameter: activeParameter(s),
      };
    }),
    activeSignature: active,
    activeParameter: activeParameter(signatures[active]),
  };
}

/** The file's own `fn` or `macro` of that name (they shadow builtins), as a signature. */
function userSignatures(analysis: Analysis, name: string): CallSignature[] | undefined {
  const source = (n: Node) => analysis.text.slice(n.range.start.offset, n.range.end.offset);
  const fn = analysis.symbols.fns.get(name);
  if (fn) {
    const params = fn.params.map((p) => `${p.variable.name}: ${source(p.typeRef)}`);
    return [{ ...buildSignature(`fn ${name}`, params, source(fn.returnType)), variadic: false, minArgs: params.length, maxArgs: params.length, doc: `Defined at line ${fn.range.start.line}.` }];
  }
  const macro = analysis.symbols.macros.get(name);
  if (macro) {
    const params = macro.params.map((p) => p.name);
    return [{ ...buildSignature(`macro ${name}`, params, undefined), variadic: false, minArgs: params.length, maxArgs: params.length, doc: `Defined at line ${macro.range.start.line}.` }];
  }
  return undefined;
}

export interface CallContext {
  /** Callee name. */
  name: string;
  /** Offset of the `(`. */
  open: number;
  /** Top-level commas between `(` and the cursor: the index of the argument being written. */
  commas: number;
}

interface Frame {
  bracket: "(" | "[" | "{";
  name?: string;
  open: number;
  commas: number;
}

const CLOSERS: Record<string, Frame["bracket"]> = { ")": "(", "]": "[", "}": "{" };
/** Words followed by `(` that are syntax, not calls. */
const NOT_CALLS = new Set(["if", "while", "for", "unroll", "return"]);

/**
 * The innermost call whose parentheses hold `offset`, skipping strings and comments. A `[`/`(`
 * inside the call (map keys, tuples) keeps the call active; a `{` (a block) ends the search.
 */
export function enclosingCall(text: string, offset: number): CallContext | undefined {
  const stack: Frame[] = [];
  // `#` lines are ordinary text here, as they always were (no directive option).
  const place = scanCode(text, offset, (c, i) => {
    if (c === "(" || c === "[" || c === "{") {
      stack.push({ bracket: c, open: i, commas: 0, name: c === "(" ? calleeBefore(text, i) : undefined });
    } else if (c in CLOSERS) {
      const want = CLOSERS[c];
      const at = stack.map((f) => f.bracket).lastIndexOf(want);
      if (at >= 0) stack.length = at;
    } else if (c === "," && stack.length > 0) {
      stack[stack.length - 1].commas++;
    } else if (c === ";" && stack.length > 0 && stack[stack.length - 1].bracket !== "{") {
      // `;` cannot be inside call parentheses: an unclosed call ended here.
      while (stack.length > 0 && stack[stack.length - 1].bracket !== "{") stack.pop();
    }
  });
  if (place !== "code") return undefined; // in a comment or a string
  for (let k = stack.length - 1; k >= 0; k--) {
    const f = stack[k];
    if (f.bracket === "{") return undefined;
    if (f.bracket === "(" && f.name) return { name: f.name, open: f.open, commas: f.commas };
  }
  return undefined;
}

function calleeBefore(text: string, paren: number): string | undefined {
  let end = paren;
  while (end > 0 && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  let start = end;
  while (start > 0 && /[A-Za-z0-9_]/.test(text[start - 1])) start--;
  const name = text.slice(start, end);
  if (!/^[A-Za-z_]\w*$/.test(name) || NOT_CALLS.has(name)) return undefined;
  // `$x(`, `@m(`, `a.b(` and `kprobe:f(` are not calls of `name`.
  const before = text[start - 1];
  if (before === "$" || before === "@" || before === "." || before === ":") return undefined;
  return name;
}
