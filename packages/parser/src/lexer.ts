import "./polyfill.ts";
import { createToken, Lexer, type IToken, type TokenType, type CustomPatternMatcherReturn } from "chevrotain";

/**
 * bpftrace is not context free at the lexical level: what starts a top-level
 * item is lexed as a raw attach point (paths, globs, `cpp:"ns::f"`), while the
 * same characters inside a block are operators and names. Instead of lexer
 * modes we keep a tiny incremental view of the tokens matched so far
 * (brace depth and "are we at the start of a top-level item?") and let the
 * context-sensitive token patterns consult it.
 */
class LexContext {
  private tokens: IToken[] | undefined;
  private cursor = 0;
  private depth = 0;
  /** At depth 0, expecting the start of a top-level item. */
  itemStart = true;
  /** At depth 0, right after an attach point and `,`: another attach point may follow. */
  attachExpected = false;
  /** Whether any non-layout token has been matched (for `#!`). */
  sawToken = false;

  sync(matched: IToken[]): void {
    if (matched !== this.tokens) {
      this.tokens = matched;
      this.cursor = 0;
      this.depth = 0;
      this.itemStart = true;
      this.attachExpected = false;
      this.sawToken = false;
    }
    for (; this.cursor < matched.length; this.cursor++) {
      const type = matched[this.cursor].tokenType;
      this.sawToken = true;
      if (type === LCurly) {
        this.depth++;
        this.itemStart = false;
        this.attachExpected = false;
      } else if (type === RCurly) {
        if (this.depth > 0) this.depth--;
        this.itemStart = this.depth === 0;
        this.attachExpected = false;
      } else if (this.depth === 0 && (type === Semi || type === CPreprocessor || type === CDefinition || type === Shebang)) {
        this.itemStart = true;
        this.attachExpected = false;
      } else if (this.depth === 0 && type === Comma && (this.attachExpected || this.lastWasAttachPoint())) {
        this.itemStart = false;
        this.attachExpected = true;
      } else {
        this.itemStart = false;
        this.attachExpected = false;
      }
    }
  }

  private lastWasAttachPoint(): boolean {
    return this.cursor > 0 && this.tokens![this.cursor - 1].tokenType === AttachPoint;
  }

  /** Whether an attach point may start here. */
  attachPointAllowed(matched: IToken[]): boolean {
    this.sync(matched);
    return this.depth === 0 && (this.itemStart || this.attachExpected);
  }

  topLevelItemStart(matched: IToken[]): boolean {
    this.sync(matched);
    return this.depth === 0 && this.itemStart;
  }

  /** Forgets the last token array, so that the context does not keep a lexed file's tokens alive. */
  release(): void {
    this.tokens = undefined;
  }
}

const context = new LexContext();

const TOP_KEYWORD = /^(?:config|import|macro|fn|let)(?![A-Za-z0-9_:])/;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Raw attach point, captured the way bpftrace ≥ 0.26 captures it (grammar reference §8.1). */
function matchAttachPoint(text: string, offset: number, matched: IToken[]): CustomPatternMatcherReturn | null {
  if (!context.attachPointAllowed(matched)) return null;
  const first = text.charCodeAt(offset);
  // `{`, `,`, `/`, `}` and `;` never start an attach point; comments are layout.
  if (first === 123 || first === 44 || first === 47 || first === 59 || first === 35) return null;
  if (context.itemStart && !context.attachExpected) {
    TOP_KEYWORD.lastIndex = 0;
    if (TOP_KEYWORD.test(text.slice(offset, offset + 8))) return null;
  }
  let i = offset;
  let sawColon = false;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n && text.charCodeAt(i) !== 34) {
        if (text.charCodeAt(i) === 92 /* \ */ && i + 1 < n) i++;
        i++;
      }
      if (i < n) i++;
      continue;
    }
    if (c === 123 || c === 44 || isSpace(c)) break;
    if (c === 47 /* / */ && !sawColon) {
      const next = text.charCodeAt(i + 1);
      if (next !== 47 && next !== 42) break;
    }
    if (c === 58 /* : */) sawColon = true;
    i++;
  }
  if (i === offset) return null;
  return [text.slice(offset, i)] as unknown as CustomPatternMatcherReturn;
}

const C_DEF_START = /(struct|union|enum)(?![A-Za-z0-9_])/y;

/** `struct X { … } [__attribute__((…))…] [;]` at the start of a top-level item, brace counted. */
function matchCDefinition(text: string, offset: number, matched: IToken[]): CustomPatternMatcherReturn | null {
  if (!context.topLevelItemStart(matched)) return null;
  C_DEF_START.lastIndex = offset;
  if (!C_DEF_START.test(text)) return null;
  let i = C_DEF_START.lastIndex;
  const n = text.length;
  // Only identifiers, layout and balanced (...)/[...] may come before `{`.
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || isIdentChar(c)) {
      i++;
    } else if (c === 40 || c === 91) {
      const close = skipBalanced(text, i);
      if (close < 0) return null;
      i = close;
    } else if (c === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) {
      i = skipComment(text, i);
    } else break;
  }
  if (text.charCodeAt(i) !== 123) return null;
  let depth = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) {
      i = skipComment(text, i);
      continue;
    }
    if (c === 123) depth++;
    else if (c === 125) {
      depth--;
      if (depth === 0) {
        i++;
        break;
      }
    }
    i++;
  }
  if (depth !== 0) return null;
  // Trailing `__attribute__((…))` groups, then an optional `;`.
  for (;;) {
    const j = skipLayout(text, i);
    if (text.startsWith("__attribute__", j)) {
      const k = skipLayout(text, j + "__attribute__".length);
      if (text.charCodeAt(k) !== 40 || text.charCodeAt(k + 1) !== 40) break;
      const close = skipBalanced(text, k);
      if (close < 0) break;
      i = close;
      continue;
    }
    if (text.charCodeAt(j) === 59) i = j + 1;
    break;
  }
  return [text.slice(offset, i)] as unknown as CustomPatternMatcherReturn;
}

function skipLayout(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) i = skipComment(text, i);
    else return i;
  }
}

function skipComment(text: string, i: number): number {
  if (text.charCodeAt(i + 1) === 47) {
    const nl = text.indexOf("\n", i);
    return nl < 0 ? text.length : nl;
  }
  const end = text.indexOf("*/", i + 2);
  return end < 0 ? text.length : end + 2;
}

/** Index after the bracket that closes the one at `i`, or -1. */
function skipBalanced(text: string, i: number): number {
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91) depth++;
    else if (c === 41 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function matchShebang(text: string, offset: number, matched: IToken[]): CustomPatternMatcherReturn | null {
  context.sync(matched);
  if (context.sawToken || text.charCodeAt(offset) !== 35 || text.charCodeAt(offset + 1) !== 33) return null;
  const nl = text.indexOf("\n", offset);
  return [text.slice(offset, nl < 0 ? text.length : nl)] as unknown as CustomPatternMatcherReturn;
}

/** `/` that closes a predicate: the next non-layout character is `{`. */
function matchPredicateClose(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== 47) return null;
  let i = offset + 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) i = skipComment(text, i);
    else break;
  }
  if (text.charCodeAt(i) !== 123) return null;
  return ["/"] as unknown as CustomPatternMatcherReturn;
}

// ---------------------------------------------------------------------------
// Token definitions. Order matters: Chevrotain tries them in this order.

// Every token declares `line_breaks` and `start_chars_hint`: otherwise Chevrotain analyses each
// regular expression when the lexer is built, which costs more start-up time than all the rest.
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true, start_chars_hint: [" ", "\t", "\r", "\n"] });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n]*/, group: "comments", line_breaks: false, start_chars_hint: ["/"] });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: "comments", line_breaks: true, start_chars_hint: ["/"] });
/** Unterminated `/*`: runs to the end of input (bpftrace ≤ 0.25 reported it; HEAD does not). */
export const UnterminatedComment = createToken({ name: "UnterminatedComment", pattern: /\/\*[\s\S]*/, group: "comments", line_breaks: true, start_chars_hint: ["/"] });

export const Shebang = createToken({ name: "Shebang", pattern: { exec: matchShebang }, line_breaks: false, start_chars_hint: ["#"], label: "'#!' line" });
export const CPreprocessor = createToken({ name: "CPreprocessor", pattern: /#[^\n]*/, label: "preprocessor line", line_breaks: false, start_chars_hint: ["#"] });
export const CDefinition = createToken({ name: "CDefinition", pattern: { exec: matchCDefinition }, line_breaks: true, start_chars_hint: ["s", "u", "e"], label: "C definition" });

const ATTACH_START_CHARS = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789*\"$.:-[]+=@!?~%^&|<>()\\'`}"];
export const AttachPoint = createToken({ name: "AttachPoint", pattern: { exec: matchAttachPoint }, line_breaks: true, start_chars_hint: ATTACH_START_CHARS, label: "attach point" });

/** Any word: identifiers and every contextual keyword. */
export const Name = createToken({ name: "Name", pattern: Lexer.NA, label: "name" });
const WORD_START = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"];
export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [Name], label: "identifier", line_breaks: false, start_chars_hint: WORD_START });

/** The one spelling of each operator token type: the image of every such token (lex). */
const fixedImage = new Map<TokenType, string>();

/** Keyword token types by their word: a word is its keyword exactly when it is spelled the same (lex). */
const keywordByWord = new Map<string, TokenType>();

function keyword(word: string): TokenType {
  const type = createToken({ name: word[0].toUpperCase() + word.slice(1), pattern: new RegExp(word), longer_alt: Identifier, categories: [Name], label: `'${word}'`, line_breaks: false, start_chars_hint: [word[0]] });
  keywordByWord.set(word, type);
  return type;
}

export const If = keyword("if");
export const Else = keyword("else");
export const While = keyword("while");
export const For = keyword("for");
export const Unroll = keyword("unroll");
export const Break = keyword("break");
export const Continue = keyword("continue");
export const Return = keyword("return");
export const Let = keyword("let");
export const Sizeof = keyword("sizeof");
export const Offsetof = keyword("offsetof");
export const Typeof = keyword("typeof");
export const Typeinfo = keyword("typeinfo");
export const Comptime = keyword("comptime");
export const True = keyword("true");
export const False = keyword("false");
export const Import = keyword("import");
export const Struct = keyword("struct");
export const Union = keyword("union");
export const Enum = keyword("enum");
export const Config = keyword("config");
export const Macro = keyword("macro");
export const Fn = keyword("fn");

const single = { line_breaks: false } as const;
export const ParamCount = createToken({ name: "ParamCount", pattern: /\$#/, label: "'$#'", ...single, start_chars_hint: ["$"] });
export const Positional = createToken({ name: "Positional", pattern: /\$[0-9]+/, label: "positional parameter", ...single, start_chars_hint: ["$"] });
export const Variable = createToken({ name: "Variable", pattern: /\$[A-Za-z_][A-Za-z0-9_]*/, label: "variable", ...single, start_chars_hint: ["$"] });
export const MapName = createToken({ name: "MapName", pattern: /@[A-Za-z_][A-Za-z0-9_]*|@/, label: "map", ...single, start_chars_hint: ["@"] });
export const Integer = createToken({ name: "Integer", pattern: /0[xX][0-9A-Fa-f_]*|[0-9][0-9A-Za-z_]*/, label: "integer", ...single, start_chars_hint: [..."0123456789"] });
export const StringLit = createToken({ name: "StringLit", pattern: /"(?:[^"\\\n]|\\[^\n])*"/, label: "string", ...single, start_chars_hint: ['"'] });
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /"(?:[^"\\\n]|\\[^\n])*\\?/, label: "unterminated string", ...single, start_chars_hint: ['"'] });

export const PredicateClose = createToken({ name: "PredicateClose", pattern: { exec: matchPredicateClose }, line_breaks: false, start_chars_hint: ["/"], label: "'/'" });
fixedImage.set(PredicateClose, "/");

/** Binary operators; the AST builder applies bpftrace's precedence. */
export const BinaryOp = createToken({ name: "BinaryOp", pattern: Lexer.NA, label: "binary operator" });
/** Operators that may also start a unary expression. */
export const PrefixOp = createToken({ name: "PrefixOp", pattern: Lexer.NA, label: "prefix operator" });
/** Assignment and compound assignment. */
export const AssignOp = createToken({ name: "AssignOp", pattern: Lexer.NA, label: "'='" });

function op(name: string, text: string, categories: TokenType[] = []): TokenType {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const type = createToken({ name, pattern: new RegExp(escaped), categories, label: `'${text}'`, line_breaks: false, start_chars_hint: [text[0]] });
  fixedImage.set(type, text);
  return type;
}

export const ShlAssign = op("ShlAssign", "<<=", [AssignOp]);
export const ShrAssign = op("ShrAssign", ">>=", [AssignOp]);
export const PlusAssign = op("PlusAssign", "+=", [AssignOp]);
export const MinusAssign = op("MinusAssign", "-=", [AssignOp]);
export const StarAssign = op("StarAssign", "*=", [AssignOp]);
export const SlashAssign = op("SlashAssign", "/=", [AssignOp]);
export const PercentAssign = op("PercentAssign", "%=", [AssignOp]);
export const AmpAssign = op("AmpAssign", "&=", [AssignOp]);
export const PipeAssign = op("PipeAssign", "|=", [AssignOp]);
export const CaretAssign = op("CaretAssign", "^=", [AssignOp]);
export const EqEq = op("EqEq", "==", [BinaryOp]);
export const NotEq = op("NotEq", "!=", [BinaryOp]);
export const LtEq = op("LtEq", "<=", [BinaryOp]);
export const GtEq = op("GtEq", ">=", [BinaryOp]);
export const Shl = op("Shl", "<<", [BinaryOp]);
export const Shr = op("Shr", ">>", [BinaryOp]);
export const AndAnd = op("AndAnd", "&&", [BinaryOp]);
export const OrOr = op("OrOr", "||", [BinaryOp]);
export const PlusPlus = op("PlusPlus", "++");
export const MinusMinus = op("MinusMinus", "--");
export const Arrow = op("Arrow", "->");
export const DotDot = op("DotDot", "..");
export const Plus = op("Plus", "+", [BinaryOp]);
export const Minus = op("Minus", "-", [BinaryOp, PrefixOp]);
export const Star = op("Star", "*", [BinaryOp, PrefixOp]);
export const Slash = op("Slash", "/", [BinaryOp]);
export const Percent = op("Percent", "%", [BinaryOp]);
export const Amp = op("Amp", "&", [BinaryOp, PrefixOp]);
export const Pipe = op("Pipe", "|", [BinaryOp]);
export const Caret = op("Caret", "^", [BinaryOp]);
export const Lt = op("Lt", "<", [BinaryOp]);
export const Gt = op("Gt", ">", [BinaryOp]);
export const Not = op("Not", "!", [PrefixOp]);
export const Tilde = op("Tilde", "~", [PrefixOp]);
export const Assign = op("Assign", "=", [AssignOp]);
export const Question = op("Question", "?");
export const Colon = op("Colon", ":");
export const Dot = op("Dot", ".");
export const Comma = op("Comma", ",");
export const Semi = op("Semi", ";");
export const LParen = op("LParen", "(");
export const RParen = op("RParen", ")");
export const LBracket = op("LBracket", "[");
export const RBracket = op("RBracket", "]");
export const LCurly = op("LCurly", "{");
export const RCurly = op("RCurly", "}");

const keywords = [If, Else, While, For, Unroll, Break, Continue, Return, Let, Sizeof, Offsetof, Typeof, Typeinfo, Comptime, True, False, Import, Struct, Union, Enum, Config, Macro, Fn];

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  Shebang,
  CPreprocessor,
  CDefinition,
  AttachPoint,
  PredicateClose,
  ...keywords,
  Identifier,
  Name,
  ParamCount,
  Positional,
  Variable,
  MapName,
  Integer,
  StringLit,
  UnterminatedString,
  ShlAssign, ShrAssign, PlusAssign, MinusAssign, StarAssign, SlashAssign, PercentAssign, AmpAssign, PipeAssign, CaretAssign,
  EqEq, NotEq, LtEq, GtEq, Shl, Shr, AndAnd, OrOr, PlusPlus, MinusMinus, Arrow, DotDot,
  Plus, Minus, Star, Slash, Percent, Amp, Pipe, Caret, Lt, Gt, Not, Tilde, Assign, Question, Colon, Dot, Comma, Semi,
  LParen, RParen, LBracket, RBracket, LCurly, RCurly,
  BinaryOp,
  PrefixOp,
  AssignOp,
];

let chevrotainLexer: Lexer | undefined;

/**
 * Chevrotain's lexer for these tokens, built on first use: `lex` does not need it, and building it
 * (analysing every pattern, a 65,536-entry character table) cost every process that loads the
 * parser 5–7 ms of start-up.
 */
function btLexer(): Lexer {
  return (chevrotainLexer ??= new Lexer(allTokens, {
    // Lines and columns come from the AST builder's LineIndex: smaller tokens, less to collect.
    positionTracking: "onlyOffset",
    // bpftrace counts only LF as a line break; a CR just advances the column.
    lineTerminatorsPattern: /\n/g,
    lineTerminatorCharacters: ["\n"],
    ensureOptimizations: false,
    // Chevrotain's static checks cannot see through custom patterns and report every keyword as unreachable.
    skipValidations: true,
  }));
}

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  errors: { offset: number; length: number; message: string }[];
}

/** Chevrotain's own lexer over the same token definitions: what `lex` must equal (lexer.test.ts). */
export function chevrotainLex(text: string): LexResult {
  const result = btLexer().tokenize(text);
  context.release();
  return {
    tokens: result.tokens,
    comments: (result.groups.comments as IToken[] | undefined) ?? [],
    errors: result.errors.map((e) => ({ offset: e.offset, length: e.length, message: e.message })),
  };
}

const ATTACH_START = new Uint8Array(128);
for (const c of ATTACH_START_CHARS) ATTACH_START[c.charCodeAt(0)] = 1;

function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigitOrUnderscore(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 95;
}

function wordEnd(text: string, i: number): number {
  while (isIdentChar(text.charCodeAt(i))) i++;
  return i;
}

/**
 * The tokens of `text`, exactly as Chevrotain's lexer makes them from the token definitions above
 * (same types, images, offsets, comments and errors; `chevrotainLex`, compared in lexer.test.ts),
 * by one switch on the first character instead of trying each candidate pattern in turn, and
 * without building Chevrotain's lexer at start-up. Words, variables, maps and numbers that occur
 * more than once share one image string, and keywords and operators use their one spelling, so
 * the AST built from the tokens holds each name once.
 */
export function lex(text: string): LexResult {
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const errors: LexResult["errors"] = [];
  const images = new Map<string, string>();
  const n = text.length;
  /** The image of text[from, to), shared with every earlier token of the same spelling. */
  const shared = (from: number, to: number): string => {
    const image = text.substring(from, to);
    const known = images.get(image);
    if (known !== undefined) return known;
    images.set(image, image);
    return image;
  };
  let offset = 0;
  while (offset < n) {
    const c = text.charCodeAt(offset);
    const c1 = text.charCodeAt(offset + 1);
    let type: TokenType | undefined;
    let image: string | undefined;
    let end = offset + 1;
    if (isSpace(c)) {
      while (end < n && isSpace(text.charCodeAt(end))) end++;
      offset = end;
      continue;
    }
    if (c === 47 /* / */ && (c1 === 47 || c1 === 42)) {
      let commentType: TokenType;
      if (c1 === 47) {
        const nl = text.indexOf("\n", offset);
        end = nl < 0 ? n : nl;
        commentType = LineComment;
      } else {
        const close = text.indexOf("*/", offset + 2);
        end = close < 0 ? n : close + 2;
        commentType = close < 0 ? UnterminatedComment : BlockComment;
      }
      comments.push(token(text.substring(offset, end), offset, commentType));
      offset = end;
      continue;
    }
    let custom: CustomPatternMatcherReturn | null = null;
    if (c === 35 /* # */) {
      custom = matchShebang(text, offset, tokens);
      if (custom) type = Shebang;
      else {
        const nl = text.indexOf("\n", offset);
        end = nl < 0 ? n : nl;
        type = CPreprocessor;
        image = text.substring(offset, end);
      }
    } else if (c < 128 && ATTACH_START[c] === 1) {
      if ((c === 115 || c === 117 || c === 101) && (custom = matchCDefinition(text, offset, tokens))) type = CDefinition;
      else if ((custom = matchAttachPoint(text, offset, tokens))) type = AttachPoint;
    }
    if (custom) {
      image = custom[0];
      end = offset + image.length;
    } else if (image === undefined) {
      if (isWordStart(c)) {
        end = wordEnd(text, offset + 1);
        image = shared(offset, end);
        type = keywordByWord.get(image) ?? Identifier;
      } else if (isDigit(c)) {
        if (c === 48 && (c1 === 120 || c1 === 88)) {
          end = offset + 2;
          while (isHexDigitOrUnderscore(text.charCodeAt(end))) end++;
        } else end = wordEnd(text, offset + 1);
        type = Integer;
      } else if (c === 36 /* $ */) {
        if (c1 === 35) {
          end = offset + 2;
          type = ParamCount;
        } else if (isDigit(c1)) {
          end = offset + 2;
          while (isDigit(text.charCodeAt(end))) end++;
          type = Positional;
        } else if (isWordStart(c1)) {
          end = wordEnd(text, offset + 2);
          type = Variable;
        }
      } else if (c === 64 /* @ */) {
        end = isWordStart(c1) ? wordEnd(text, offset + 2) : offset + 1;
        type = MapName;
      } else if (c === 34 /* " */) {
        type = UnterminatedString;
        while (end < n) {
          const d = text.charCodeAt(end);
          if (d === 34) {
            end++;
            type = StringLit;
            break;
          }
          if (d === 10) break;
          if (d === 92 /* \ */) {
            if (end + 1 < n && text.charCodeAt(end + 1) !== 10) end += 2;
            else {
              end++; // a trailing backslash belongs to the unterminated string
              break;
            }
          } else end++;
        }
      } else {
        type = operatorAt(text, offset, c, c1);
        if (type !== undefined) image = fixedImage.get(type)!;
      }
      // String literals are mostly unique (format strings): not worth a lookup each.
      if (type !== undefined && image === undefined) image = type === StringLit || type === UnterminatedString ? text.substring(offset, end) : shared(offset, end);
      else if (type !== undefined) end = offset + image!.length;
    }
    if (type === undefined) {
      // Chevrotain's recovery: skip to the next offset where any token pattern matches.
      let resync = offset + 1;
      while (resync < n && !anyTokenAt(text, resync, tokens)) resync++;
      errors.push({ offset, length: resync - offset, message: `unexpected character: ->${text.charAt(offset)}<- at offset: ${offset}, skipped ${resync - offset} characters.` });
      offset = resync;
      continue;
    }
    tokens.push(token(image!, offset, type));
    offset = end;
  }
  context.release();
  return { tokens, comments, errors };
}

function token(image: string, startOffset: number, tokenType: TokenType): IToken {
  // The shape Chevrotain's lexer gives its tokens with positionTracking "onlyOffset".
  return { image, startOffset, tokenTypeIdx: tokenType.tokenTypeIdx!, tokenType } as IToken;
}

/** The operator or punctuation token at `offset` (longest spelling first, as allTokens orders them). */
function operatorAt(text: string, offset: number, c: number, c1: number): TokenType | undefined {
  switch (c) {
    case 60 /* < */:
      if (c1 === 60) return text.charCodeAt(offset + 2) === 61 ? ShlAssign : Shl;
      return c1 === 61 ? LtEq : Lt;
    case 62 /* > */:
      if (c1 === 62) return text.charCodeAt(offset + 2) === 61 ? ShrAssign : Shr;
      return c1 === 61 ? GtEq : Gt;
    case 43 /* + */:
      return c1 === 61 ? PlusAssign : c1 === 43 ? PlusPlus : Plus;
    case 45 /* - */:
      return c1 === 61 ? MinusAssign : c1 === 45 ? MinusMinus : c1 === 62 ? Arrow : Minus;
    case 42 /* * */:
      return c1 === 61 ? StarAssign : Star;
    case 47 /* / */:
      if (matchPredicateClose(text, offset)) return PredicateClose;
      return c1 === 61 ? SlashAssign : Slash;
    case 37 /* % */:
      return c1 === 61 ? PercentAssign : Percent;
    case 38 /* & */:
      return c1 === 61 ? AmpAssign : c1 === 38 ? AndAnd : Amp;
    case 124 /* | */:
      return c1 === 61 ? PipeAssign : c1 === 124 ? OrOr : Pipe;
    case 94 /* ^ */:
      return c1 === 61 ? CaretAssign : Caret;
    case 61 /* = */:
      return c1 === 61 ? EqEq : Assign;
    case 33 /* ! */:
      return c1 === 61 ? NotEq : Not;
    case 46 /* . */:
      return c1 === 46 ? DotDot : Dot;
    case 126:
      return Tilde;
    case 63:
      return Question;
    case 58:
      return Colon;
    case 44:
      return Comma;
    case 59:
      return Semi;
    case 40:
      return LParen;
    case 41:
      return RParen;
    case 91:
      return LBracket;
    case 93:
      return RBracket;
    case 123:
      return LCurly;
    case 125:
      return RCurly;
    default:
      return undefined;
  }
}

/** Whether any token pattern matches at `offset`, whatever its first character (Chevrotain's resync test). */
function anyTokenAt(text: string, offset: number, tokens: IToken[]): boolean {
  const c = text.charCodeAt(offset);
  if (isSpace(c) || isWordStart(c) || isDigit(c) || c === 35 || c === 64 || c === 34 || operatorAt(text, offset, c, text.charCodeAt(offset + 1)) !== undefined) return true;
  if (c === 36) {
    const c1 = text.charCodeAt(offset + 1);
    if (c1 === 35 || isDigit(c1) || isWordStart(c1)) return true;
  }
  return matchAttachPoint(text, offset, tokens) !== null;
}
