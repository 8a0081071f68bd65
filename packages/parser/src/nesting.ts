import type { IToken, TokenType } from "chevrotain";
import * as T from "./lexer.ts";
import { EXPRESSION_START } from "./grammar.ts";
import { isParserBuiltinName } from "./builtin-names.ts";

/** Deeper nesting than this is reported instead of parsed on Node's default stack (about 1 MB). */
export const MAX_NESTING = 200;

/**
 * The stack, in MB, a thread needs to take nesting as deep as bpftrace 0.27 does through every
 * tool (parse, lint, format). Measured: the deepest of those needs well under half of it.
 */
export const LARGE_STACK_MB = 64;

export type NestingConstruct = "blocks" | "ifs" | "parentheses" | "calls" | "indexes" | "casts" | "prefix operators" | "else-if chains" | "ternaries";

/**
 * How deep bpftrace 0.27 nests each construct before it crashes (SIGSEGV, stack overflow, 8 MB
 * stack, `bpftrace --fmt`), measured by bisection with the generators of depth.test.ts: the
 * deepest program of each shape it still formats (repeated runs vary by a few levels; the lower
 * figure is kept). On a large stack we accept exactly these depths.
 */
export const BPFTRACE_NESTING: Readonly<Record<NestingConstruct, number>> = {
  blocks: 1980,
  // Not re-measured: past 824 levels bpftrace --fmt took over 60 s; 1,035 is an earlier run's crash.
  ifs: 1035,
  parentheses: 3415,
  calls: 2152,
  indexes: 2274,
  casts: 6969,
  "prefix operators": 10670,
  "else-if chains": 7799,
  ternaries: 6795,
};

/**
 * Nesting is measured as a budget: each open level costs its construct's share, so a program of
 * one construct stops exactly at its limit and a mixture stops where its stack use adds up.
 * Integer shares of a budget far above limit² make "at the limit" and "one past" exact.
 */
const BUDGET = 2 ** 40;

interface Limits {
  cost: Record<NestingConstruct, number>;
  /** Limit reported when a construct passes the budget. */
  limit: (construct: NestingConstruct) => number;
}

function defaultStackLimits(): Limits {
  const share = Math.floor(BUDGET / MAX_NESTING);
  const cost = Object.fromEntries(Object.keys(BPFTRACE_NESTING).map((c) => [c, share])) as Record<NestingConstruct, number>;
  return { cost, limit: () => MAX_NESTING };
}

function bpftraceLimits(): Limits {
  const blockShare = Math.floor(BUDGET / BPFTRACE_NESTING.blocks);
  // The generators nest inside one probe block (ifs: and one statement's `if` around it too), so
  // the other shares are what is left of the budget after that block, spread over the levels.
  const within = (levels: number) => Math.floor((BUDGET - blockShare) / levels);
  const cost: Record<NestingConstruct, number> = {
    blocks: blockShare,
    ifs: within(BPFTRACE_NESTING.ifs - 2),
    parentheses: within(BPFTRACE_NESTING.parentheses - 1),
    calls: within(BPFTRACE_NESTING.calls - 1),
    indexes: within(BPFTRACE_NESTING.indexes - 1),
    casts: within(BPFTRACE_NESTING.casts - 1),
    "prefix operators": within(BPFTRACE_NESTING["prefix operators"] - 1),
    "else-if chains": within(BPFTRACE_NESTING["else-if chains"] - 1),
    ternaries: within(BPFTRACE_NESTING.ternaries - 1),
  };
  return { cost, limit: (construct) => BPFTRACE_NESTING[construct] };
}

let largeStack = false;

/**
 * Declares that this thread runs on a stack of at least LARGE_STACK_MB (serveLargeStackJob does,
 * after checking its resource limits): parse() then takes bpftrace's own nesting depths. A flag
 * rather than a look at node:worker_threads here: bt-fmt's startup snapshot parses while it is
 * built, and a worker_threads module loaded then breaks every worker the process starts later.
 */
export function declareLargeStack(stackSizeMb: number | undefined): void {
  largeStack = (stackSizeMb ?? 0) >= LARGE_STACK_MB;
}

/** True where this thread's stack takes bpftrace's own nesting depths (see declareLargeStack). */
export function onLargeStack(): boolean {
  return largeStack;
}

let bpftraceLimitsOnce: Limits | undefined;
let defaultLimitsOnce: Limits | undefined;

export interface NestingProblem {
  token: IToken;
  message: string;
}


/**
 * Finds the first token where nesting passes the limit (bpftrace's depths on a large stack,
 * MAX_NESTING otherwise), in one pass with no recursion, so the recursive parser is never given
 * more than the stack holds. Returns the index of the top-level item holding that token.
 */
export function findTooDeep(tokens: IToken[], large = onLargeStack()): { itemStart: number; problem: NestingProblem } | undefined {
  const { cost, limit } = large ? (bpftraceLimitsOnce ??= bpftraceLimits()) : (defaultLimitsOnce ??= defaultStackLimits());
  // The open brackets, a stack of `depth` levels kept as parallel arrays that are written over
  // rather than an object per bracket (a program opens one every few tokens).
  let depth = 0;
  const openIndex: number[] = [];
  const openConstruct: NestingConstruct[] = [];
  const openCost: number[] = [];
  const openPrefixBefore: number[] = [];
  let bracketCost = 0;
  // `else if` chains and nested ternaries recurse too; counted per bracket level.
  const chainCost: number[] = [0];
  let prefixCost = 0;
  let prefixConstruct: NestingConstruct = "prefix operators";
  let chainConstruct: NestingConstruct = "else-if chains";
  // Where the top-level item being read started: the cut is made there, so the parser never has
  // to recover from hundreds of unclosed levels (its error recovery recurses through them too).
  let itemStart = 0;
  for (let i = 0; i < tokens.length; i++) {
    const type = tokens[i].tokenType;
    let construct: NestingConstruct | undefined;
    let nextPrefixCost = 0;
    if (type === T.LParen || type === T.LBracket || type === T.LCurly) {
      const before = tokens[i - 1]?.tokenType;
      construct =
        type === T.LBracket ? "indexes"
        : type === T.LCurly ? (before === T.RParen || before === T.Else ? "ifs" : "blocks")
        : before && isCallee(tokens[i - 1]) ? "calls"
        : "parentheses";
      openIndex[depth] = i;
      openConstruct[depth] = construct;
      openCost[depth] = cost[construct];
      openPrefixBefore[depth] = prefixCost;
      depth++;
      bracketCost += cost[construct];
      chainCost[depth] = 0;
    } else if (type === T.RParen || type === T.RBracket || type === T.RCurly) {
      const closed = depth > 0;
      if (closed) bracketCost -= openCost[--depth];
      if (depth === 0 && type === T.RCurly) itemStart = i + 1;
      // A cast's operand is parsed inside the cast, like a prefix operator's.
      if (closed && type === T.RParen && isCast(tokens, openIndex[depth], i)) {
        nextPrefixCost = openPrefixBefore[depth] + cost.casts;
        prefixConstruct = "casts";
        construct = "casts";
      }
    } else if (type === T.Question || (type === T.If && tokens[i - 1]?.tokenType === T.Else)) {
      construct = type === T.Question ? "ternaries" : "else-if chains";
      chainConstruct = construct;
      chainCost[depth] += cost[construct];
    } else if (type === T.Semi) {
      chainCost[depth] = 0;
    }
    if (type === T.Not || type === T.Minus || type === T.Star || type === T.Amp || type === T.Tilde || type === T.PlusPlus || type === T.MinusMinus) {
      nextPrefixCost = prefixCost + cost["prefix operators"];
      if (prefixCost === 0) prefixConstruct = "prefix operators";
      construct ??= "prefix operators";
    }
    prefixCost = nextPrefixCost;
    if (construct && bracketCost + chainCost[depth] + prefixCost > BUDGET) {
      const open = openConstruct.slice(0, depth).map((c, level) => ({ construct: c, cost: openCost[level] }));
      const shown = deepestConstruct(open, [
        [chainConstruct, chainCost[depth]],
        [prefixConstruct, prefixCost],
      ]);
      const message = large
        ? `nesting is too deep (${shown} past ${limit(shown).toLocaleString("en-US")} levels, where bpftrace 0.27 crashes); this item and the rest of the file were not parsed`
        : `nesting is too deep (more than ${MAX_NESTING} levels); this item and the rest of the file were not parsed (bt-parse, bt-lint and bt-fmt take bpftrace's own depths)`;
      return { itemStart, problem: { token: tokens[i], message } };
    }
  }
  return undefined;
}

/** The construct holding most of the budget where it ran out: what the message names. */
function deepestConstruct(open: { cost: number; construct: NestingConstruct }[], runs: [NestingConstruct, number][]): NestingConstruct {
  const spent = new Map<NestingConstruct, number>();
  for (const level of open) spent.set(level.construct, (spent.get(level.construct) ?? 0) + level.cost);
  for (const [construct, amount] of runs) spent.set(construct, (spent.get(construct) ?? 0) + amount);
  let best: NestingConstruct = "blocks";
  for (const [construct, total] of spent) if (total > (spent.get(best) ?? 0)) best = construct;
  return best;
}

const CONTROL_KEYWORDS = new Set<TokenType>([T.If, T.While, T.For, T.Unroll]);

function isCallee(token: IToken): boolean {
  if (CONTROL_KEYWORDS.has(token.tokenType)) return false;
  return token.tokenType === T.Identifier || (token.tokenType.CATEGORIES?.includes(T.Name) ?? false);
}

/** `(` type `)` followed by something that starts an expression, as the grammar decides a cast. */
function isCast(tokens: IToken[], openIndex: number, closeIndex: number): boolean {
  if (!EXPRESSION_START.has(tokens[closeIndex + 1]?.tokenType)) return false;
  let k = openIndex + 1;
  const first = tokens[k]?.tokenType;
  if (first === T.Struct || first === T.Union || first === T.Enum) k++;
  else if (first !== T.Identifier || isParserBuiltinName(tokens[k].image)) return false;
  if (k >= closeIndex) return false;
  for (k++; k < closeIndex; k++) {
    const t = tokens[k].tokenType;
    if (t !== T.Star && t !== T.LBracket && t !== T.RBracket && t !== T.Integer) return false;
  }
  return true;
}

/** What scanNestingDepth passes over: no quote, comment, bracket, `?`, `else`, `;` or prefix operator character. */
const NO_NESTING_RUN = /(?:[^"/()[\]{}?;!~\-*&e]|e(?!lse)|\/(?![/*]))+/y;

/**
 * An upper bound of the nesting findTooDeep measures, from the text alone (strings and comments
 * skipped), in one pass without lexing: enough to decide whether a program needs a large stack
 * before any recursive stage sees it. Overestimates only start a worker for nothing, so every `(`
 * and operator character that may be a prefix (`! ~ - * &`) since the statement began counts, as
 * does each `?` and `else` within a bracket level.
 */
export function scanNestingDepth(text: string): number {
  let deepest = 0;
  let depth = 0;
  const chains: number[] = [0];
  let sinceStatement = 0;
  for (let i = 0; i < text.length; i++) {
    // characters that change nothing below, skipped in native code (this runs once over a whole
    // file before anything else, while V8 still interprets it)
    NO_NESTING_RUN.lastIndex = i;
    if (NO_NESTING_RUN.test(text)) {
      i = NO_NESTING_RUN.lastIndex;
      if (i >= text.length) break;
    }
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      continue;
    }
    if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
      continue;
    }
    if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (c === 0x28 /* ( */ || c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      chains[depth] = 0;
    } else if (c === 0x29 || c === 0x5d || c === 0x7d) {
      depth = Math.max(0, depth - 1);
    } else if (c === 0x3f /* ? */ || (c === 0x65 /* e */ && text.startsWith("else", i))) {
      chains[depth]++;
    }
    if (c === 0x3b /* ; */) chains[depth] = 0;
    if (c === 0x3b || c === 0x7b || c === 0x7d) {
      sinceStatement = 0;
    } else if (c === 0x28 || c === 0x21 || c === 0x7e || c === 0x2d || c === 0x2a || c === 0x26) {
      sinceStatement++;
    }
    deepest = Math.max(deepest, depth + chains[depth] + sinceStatement);
  }
  return deepest;
}

/**
 * Programs nested `n` levels deep by one construct each (the probe's block counted, as in
 * BPFTRACE_NESTING): the shapes bpftrace's depths were measured with, and the depth tests use.
 */
export const NESTING_SHAPES: Readonly<Record<NestingConstruct, (n: number) => string>> = {
  blocks: (n) => `BEGIN ${"{ ".repeat(n)}$x = 1;${" }".repeat(n)}\n`,
  ifs: (n) => `BEGIN { $x = 1; ${"if ($x) { ".repeat(n - 2)}$x = 2;${" }".repeat(n - 2)} }\n`,
  parentheses: (n) => `BEGIN { $x = ${"(".repeat(n - 1)}1${")".repeat(n - 1)}; }\n`,
  calls: (n) => `BEGIN { $x = ${"max(".repeat(n - 1)}1${")".repeat(n - 1)}; }\n`,
  indexes: (n) => `BEGIN { @m[1] = 1; $x = ${"@m[".repeat(n - 1)}1${"]".repeat(n - 1)}; }\n`,
  casts: (n) => `BEGIN { $x = ${"(uint64)".repeat(n - 1)}1; }\n`,
  "prefix operators": (n) => `BEGIN { $x = 1; $y = ${"!".repeat(n - 1)}$x; }\n`,
  "else-if chains": (n) => `BEGIN { $x = 1; if ($x) { $x = 2; }${" else if ($x) { $x = 3; }".repeat(n - 1)} }\n`,
  ternaries: (n) => `BEGIN { $x = 1; $y = ${"$x ? 1 : ".repeat(n - 1)}1; }\n`,
};
