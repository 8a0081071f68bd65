import "./polyfill.ts";
import { CstParser, LLkLookaheadStrategy, type CstElement, type CstNode, type ILookaheadStrategy, type IOrAlt, type IToken, type TokenType, type IParserErrorMessageProvider, type IRuleConfig, type ManySepMethodOpts, type AtLeastOneSepMethodOpts } from "chevrotain";
import * as T from "./lexer.ts";
import { isParserBuiltinName } from "./builtin-names.ts";

/**
 * Error messages in the words bpftrace uses (`expected ';'`), naming what was
 * found instead of Chevrotain's token type names.
 */
const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${expected.LABEL ?? expected.name}${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describe(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const firsts = new Set<string>();
    for (const alt of expectedPathsPerAlt) for (const path of alt) if (path[0]) firsts.add(path[0].LABEL ?? path[0].name);
    return `expected ${describeExpected(ruleName, [...firsts])}${found(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const firsts = new Set<string>();
    for (const path of expectedIterationPaths) if (path[0]) firsts.add(path[0].LABEL ?? path[0].name);
    return `expected ${describeExpected(ruleName, [...firsts])}${found(actual[0])}`;
  },
};

const ruleDescriptions: Record<string, string> = {
  primary: "expression",
  unary: "expression",
  expression: "expression",
  statement: "statement",
  topLevelItem: "probe, macro, function or declaration",
  typeRef: "type",
};

/** What the parser wanted, in words: the rule's name for it, "expression", or the few tokens. */
function describeExpected(ruleName: string, firsts: string[]): string {
  if (ruleDescriptions[ruleName]) return ruleDescriptions[ruleName];
  if (firsts.includes("integer") || firsts.includes("identifier")) return "expression";
  if (firsts.length > 0 && firsts.length <= 4) return firsts.join(" or ");
  return "one of " + firsts.slice(0, 6).join(", ") + (firsts.length > 6 ? ", …" : "");
}

function describe(token: IToken): string {
  if (token.tokenType.name === "EOF") return "end of file";
  const image = token.image.length > 40 ? token.image.slice(0, 37) + "..." : token.image;
  return `'${image}'`;
}

function found(token: IToken | undefined): string {
  return token ? `, found ${describe(token)}` : "";
}

/**
 * Adds a child to a CST node's list under `key`, as Chevrotain does, except that a list growing to
 * two or three children is a new array of that length: `push` would give a one-element array room
 * for 17, and most lists of a node stay that short.
 */
function addChild(children: Record<string, CstElement[]>, key: string, child: CstElement): void {
  const list = children[key];
  if (list === undefined) children[key] = [child];
  else if (list.length === 1) children[key] = [list[0], child];
  else if (list.length === 2) children[key] = [list[0], list[1], child];
  else list.push(child);
}

type LookaheadFunction = (this: unknown, ...args: never[]) => unknown;

/** Chevrotain's own implementations of the internal methods BpftraceParser wraps. */
const chevrotainInternals = CstParser.prototype as unknown as {
  setLaFuncCache(this: BpftraceParser, ruleIdx: number, key: number, value: LookaheadFunction): void;
  defineRule(this: BpftraceParser, ruleName: string, impl: () => void, config: IRuleConfig<unknown>): ChevrotainRule;
};

/** What Chevrotain's internal `defineRule` returns: the rule, and the core the `SUBRULE`s call. */
type ChevrotainRule = { coreRule: (this: RuleEngine) => unknown };

/** Chevrotain's parser state a rule invocation goes through (recognizer_engine.js). */
interface RuleEngine {
  subruleIdx: number;
  CST_STACK: CstNode[];
  fullRuleNameToShort: Record<string, number>;
  ruleInvocationStateUpdate(shortName: number, fullName: string, idxInCallingRule: number): void;
  ruleFinallyStateUpdate(): void;
  cstPostRule(cst: CstNode): void;
  invokeRuleCatch(e: unknown, resyncEnabled: boolean, recoveryValueFunc: NonNullable<IRuleConfig<unknown>["recoveryValueFunc"]>): unknown;
}
type AlternationLookahead = ReturnType<ILookaheadStrategy["buildLookaheadForAlternation"]>;
type OptionalLookahead = ReturnType<ILookaheadStrategy["buildLookaheadForOptional"]>;

/** Lookahead functions not built yet, with what builds each one. */
const deferredLookahead = new WeakMap<LookaheadFunction, () => LookaheadFunction>();

/**
 * Chevrotain builds a lookahead function for every decision of the grammar
 * when the parser is constructed: about 9 ms of a command-line run that then
 * formats one small file using a fraction of them. This strategy hands out
 * placeholders instead; BpftraceParser.setLaFuncCache swaps each for the real
 * function on its first call, so parsing pays nothing after that.
 */
class DeferredLookaheadStrategy extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: Parameters<ILookaheadStrategy["buildLookaheadForAlternation"]>[0]): AlternationLookahead {
    return defer(() => super.buildLookaheadForAlternation(options));
  }

  override buildLookaheadForOptional(options: Parameters<ILookaheadStrategy["buildLookaheadForOptional"]>[0]): OptionalLookahead {
    return defer(() => super.buildLookaheadForOptional(options));
  }
}

function defer<F extends LookaheadFunction>(build: () => F): F {
  const placeholder = (() => {
    throw new Error("deferred lookahead function called outside BpftraceParser");
  }) as unknown as F;
  deferredLookahead.set(placeholder, build);
  return placeholder;
}

export const EXPRESSION_START = new Set<TokenType>([
  T.Integer, T.StringLit, T.Variable, T.Positional, T.ParamCount, T.MapName, T.LParen, T.Minus, T.Not, T.Tilde, T.Star, T.Amp,
  T.PlusPlus, T.MinusMinus, T.Identifier, T.True, T.False, T.If, T.Sizeof, T.Offsetof, T.Typeinfo, T.Comptime,
  T.Config, T.Macro, T.Fn, T.Typeof,
]);

/**
 * The bpftrace grammar as a pure Chevrotain CST parser. Rules are grouped like
 * the language reference: program structure, probes, statements, expressions,
 * types. Ambiguities bpftrace resolves by backtracking (casts, records,
 * `_ =`) are decided here by looking ahead over tokens, never by re-parsing.
 */
export class BpftraceParser extends CstParser {
  // Alternatives of hot rules are built once, not on every call (Chevrotain's performance guide).
  private topLevelAlts?: IOrAlt<unknown>[];
  private statementAlts?: IOrAlt<unknown>[];
  private simpleStatementAlts?: IOrAlt<unknown>[];
  private prefixAlts?: IOrAlt<unknown>[];
  private postfixAlts?: IOrAlt<unknown>[];
  private primaryAlts?: IOrAlt<unknown>[];
  private callNameAlts?: IOrAlt<unknown>[];
  private callArgAlts?: IOrAlt<unknown>[];
  // Loop and option bodies of the rules every expression goes through, made once rather than per call.
  private statementLoop?: () => void;
  private statementSemi?: () => void;
  private assignmentTail?: () => void;
  private binaryTail?: () => void;
  private ternaryOption?: () => void;
  private prefixLoop?: () => void;
  private postfixLoop?: () => void;
  private callParens?: () => void;
  private callArgs?: ManySepMethodOpts<unknown>;
  private mapKeys?: () => void;
  private mapKeyList?: AtLeastOneSepMethodOpts<unknown>;

  constructor() {
    super(T.allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: "none",
      maxLookahead: 1,
      lookaheadStrategy: new DeferredLookaheadStrategy({ maxLookahead: 1 }),
      errorMessageProvider,
      skipValidations: process.env.BT_VALIDATE_GRAMMAR !== "1",
    });
    this.performSelfAnalysis();
  }

  /**
   * When set, each top-level item's CST goes here as soon as the parser completes it, instead of
   * into the program node: parse() turns it into AST at once, so the CST of a whole file is never
   * held and each item's CST dies young (cheap for V8's garbage collector; about 20 % of a parse).
   */
  topLevelSink: ((item: CstNode) => void) | undefined;

  cstPostNonTerminal(ruleCstResult: CstNode, ruleName: string): void {
    // topLevelItem is only ever a child of program; partial items from error recovery come here too.
    if (this.topLevelSink !== undefined && ruleName === "topLevelItem") return this.topLevelSink(ruleCstResult);
    const stack = (this as unknown as RuleEngine).CST_STACK;
    addChild(stack[stack.length - 1].children, ruleName, ruleCstResult);
  }

  /** Chevrotain's own, but with addChild's lists (node locations are not tracked: nothing else to do). */
  cstPostTerminal(key: string, consumedToken: IToken): void {
    const stack = (this as unknown as RuleEngine).CST_STACK;
    addChild(stack[stack.length - 1].children, key, consumedToken);
  }

  /**
   * Chevrotain's rule core takes `...args` and calls the rule body through `apply`: one array per
   * rule call, about 2 MB of garbage on the bench corpus, for rules that take no arguments. This
   * core makes the same calls in the same order without it.
   */
  defineRule(ruleName: string, impl: () => void, config: IRuleConfig<unknown>): ChevrotainRule {
    const rule = chevrotainInternals.defineRule.call(this, ruleName, impl, config);
    const engine = this as unknown as RuleEngine;
    const shortName = engine.fullRuleNameToShort[ruleName];
    const resyncEnabled = config.resyncEnabled ?? true;
    const recoveryValueFunc = config.recoveryValueFunc ?? (() => undefined);
    rule.coreRule = function invokeRule(this: RuleEngine) {
      try {
        this.ruleInvocationStateUpdate(shortName, ruleName, this.subruleIdx);
        impl.call(this);
        const cst = this.CST_STACK[this.CST_STACK.length - 1];
        this.cstPostRule(cst);
        return cst;
      } catch (e) {
        return this.invokeRuleCatch(e, resyncEnabled, recoveryValueFunc);
      } finally {
        this.ruleFinallyStateUpdate();
      }
    };
    return rule;
  }

  /** Stores a deferred lookahead function as a stub that builds, stores and calls the real one. */
  setLaFuncCache(ruleIdx: number, key: number, value: LookaheadFunction): void {
    const store = chevrotainInternals.setLaFuncCache;
    const build = deferredLookahead.get(value);
    if (!build) return store.call(this, ruleIdx, key, value);
    const parser = this;
    let real: LookaheadFunction | undefined;
    // A loop reads its lookahead function once and calls it on every iteration, so the stub itself
    // is called on until the loop ends (program's loop: once per top-level item): build only once.
    store.call(this, ruleIdx, key, function (this: unknown, ...args: never[]) {
      if (real === undefined) {
        real = build();
        store.call(parser, ruleIdx, key, real);
      }
      return real.apply(this, args);
    });
  }

  /**
   * Chevrotain gives every CST node `children: Object.create(null)`, which V8
   * keeps in dictionary mode: large, slow to fill, and the garbage collector's
   * main work during a parse. A plain object literal gets shared hidden
   * classes (nodes of one rule add their keys in the same order) and cut the
   * CST pass on the bench corpus from about 41 ms to 26 ms. No token or rule
   * name shadows an `Object.prototype` member, so Chevrotain's
   * `children[key] === undefined` test still holds.
   */
  cstInvocationStateUpdate(fullRuleName: string): void {
    (this as unknown as { CST_STACK: CstNode[] }).CST_STACK.push({ name: fullRuleName, children: {} });
  }

  // -- Program structure --------------------------------------------------

  public program = this.RULE("program", () => {
    this.MANY(() => this.SUBRULE(this.topLevelItem));
  });

  public topLevelItem = this.RULE("topLevelItem", () => {
    this.OR((this.topLevelAlts ??= [
      { ALT: () => this.CONSUME(T.Shebang) },
      { ALT: () => this.CONSUME(T.CPreprocessor) },
      { ALT: () => this.CONSUME(T.CDefinition) },
      { ALT: () => this.SUBRULE(this.configBlock) },
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.macroDef) },
      { ALT: () => this.SUBRULE(this.fnDef) },
      { ALT: () => this.SUBRULE(this.mapDecl) },
      { ALT: () => this.SUBRULE(this.probe) },
    ]));
  });

  public configBlock = this.RULE("configBlock", () => {
    this.CONSUME(T.Config);
    this.CONSUME(T.Assign);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.configItem) },
        { ALT: () => this.CONSUME(T.Semi) },
      ]);
    });
    this.CONSUME(T.RCurly);
  });

  public configItem = this.RULE("configItem", () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expression);
  });

  public importDecl = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLit);
    this.CONSUME(T.Semi);
  });

  public macroDef = this.RULE("macroDef", () => {
    this.CONSUME(T.Macro);
    this.CONSUME(T.Name);
    this.CONSUME(T.LParen);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        this.OR([
          { ALT: () => this.CONSUME(T.Variable) },
          { ALT: () => this.CONSUME(T.MapName) },
          { ALT: () => this.CONSUME1(T.Name) },
        ]);
      },
    });
    this.CONSUME(T.RParen);
    this.SUBRULE(this.block);
  });

  public fnDef = this.RULE("fnDef", () => {
    this.CONSUME(T.Fn);
    this.CONSUME(T.Name);
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.fnParam) });
    this.CONSUME(T.RParen);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeRef);
    this.SUBRULE(this.block);
  });

  public fnParam = this.RULE("fnParam", () => {
    this.CONSUME(T.Variable);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeRef);
  });

  public mapDecl = this.RULE("mapDecl", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.MapName);
    this.CONSUME(T.Assign);
    this.CONSUME(T.Name);
    this.CONSUME(T.LParen);
    this.OPTION(() => this.CONSUME(T.Integer));
    this.CONSUME(T.RParen);
    this.OPTION1(() => this.CONSUME(T.Semi));
  });

  // -- Probes ---------------------------------------------------------------

  public probe = this.RULE("probe", () => {
    this.CONSUME(T.AttachPoint);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.OPTION(() => this.CONSUME1(T.AttachPoint));
    });
    this.OPTION1(() => this.SUBRULE(this.predicate));
    this.SUBRULE(this.block);
  });

  public predicate = this.RULE("predicate", () => {
    this.CONSUME(T.Slash);
    this.SUBRULE(this.expression);
    this.CONSUME(T.PredicateClose);
  });

  // -- Blocks and statements ---------------------------------------------

  public block = this.RULE("block", () => {
    this.CONSUME(T.LCurly);
    this.MANY((this.statementLoop ??= () => this.SUBRULE(this.statement)));
    this.CONSUME(T.RCurly);
  });

  public statement = this.RULE("statement", () => {
    // `if` and `{` at statement start are statements (an optional `;` may follow), never
    // the start of an expression statement.
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: (this.statementAlts ??= [
      {
        ALT: () => {
          this.SUBRULE(this.ifExpr);
          this.OPTION(() => this.CONSUME(T.Semi));
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.block);
          this.OPTION1(() => this.CONSUME1(T.Semi));
        },
      },
      { ALT: () => this.SUBRULE(this.whileStatement) },
      { ALT: () => this.SUBRULE(this.unrollStatement) },
      { ALT: () => this.SUBRULE(this.forStatement) },
      { ALT: () => this.SUBRULE(this.simpleStatement) },
      // A stray `;` (bpftrace has no empty statement): kept in the CST, reported by the AST builder.
      { ALT: () => this.CONSUME2(T.Semi) },
      ]),
    });
  });

  /**
   * Statements other than `if`, loops and blocks. Assignment, `_ = e` and
   * expression statements share one path (an expression, then an optional
   * assignment) so no lookahead predicate is needed; the AST
   * builder rejects what bpftrace rejects (`$a ? b : c;`, `$a = $b = 1`).
   * The `;` is optional here; the builder requires it between statements.
   */
  public simpleStatement = this.RULE("simpleStatement", () => {
    this.OR(
      (this.simpleStatementAlts ??= [
        { ALT: () => this.CONSUME(T.Break) },
        { ALT: () => this.CONSUME(T.Continue) },
        {
          ALT: () => {
            this.CONSUME(T.Return);
            this.OPTION(() => this.SUBRULE2(this.expression));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Import);
            this.CONSUME(T.StringLit);
          },
        },
        { ALT: () => this.SUBRULE(this.letStatement) },
        {
          ALT: () => {
            this.SUBRULE(this.expression);
            this.OPTION1((this.assignmentTail ??= () => {
              this.CONSUME(T.AssignOp);
              this.SUBRULE1(this.expression);
            }));
          },
        },
      ]),
    );
    this.OPTION2((this.statementSemi ??= () => this.CONSUME(T.Semi)));
  });

  public letStatement = this.RULE("letStatement", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Variable);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeRef);
    });
    this.OPTION1(() => {
      this.CONSUME(T.Assign);
      this.SUBRULE(this.expression);
    });
  });

  public whileStatement = this.RULE("whileStatement", () => {
    this.CONSUME(T.While);
    this.SUBRULE(this.condition);
    this.SUBRULE(this.block);
  });

  public unrollStatement = this.RULE("unrollStatement", () => {
    this.CONSUME(T.Unroll);
    this.SUBRULE(this.condition);
    this.SUBRULE(this.block);
  });

  public forStatement = this.RULE("forStatement", () => {
    this.CONSUME(T.For);
    this.OR([
      {
        GATE: () => this.LA(1).tokenType === T.LParen,
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.forHead);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE1(this.forHead) },
    ]);
    this.SUBRULE(this.block);
  });

  public forHead = this.RULE("forHead", () => {
    this.CONSUME(T.Variable);
    this.CONSUME(T.Colon);
    this.OR([
      {
        GATE: () => this.LA(2).tokenType !== T.DotDot,
        ALT: () => this.CONSUME(T.MapName),
      },
      {
        ALT: () => {
          this.SUBRULE(this.primary);
          this.CONSUME(T.DotDot);
          this.SUBRULE1(this.primary);
        },
      },
    ]);
  });

  /** `(expr)` or, since 0.25, a unary expression. */
  public condition = this.RULE("condition", () => {
    this.OR([
      {
        GATE: () => this.LA(1).tokenType === T.LParen,
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
        },
      },
      { GATE: () => this.LA(1).tokenType !== T.LParen, ALT: () => this.SUBRULE(this.unary) },
    ]);
  });

  public ifExpr = this.RULE("ifExpr", () => {
    this.CONSUME(T.If);
    this.OPTION(() => this.CONSUME(T.Comptime));
    this.SUBRULE(this.condition);
    this.SUBRULE(this.block);
    this.OPTION1(() => {
      this.CONSUME(T.Else);
      this.OR([
        { ALT: () => this.SUBRULE1(this.ifExpr) },
        { ALT: () => this.SUBRULE2(this.block) },
      ]);
    });
  });

  // -- Expressions --------------------------------------------------------

  /** A flat `unary (op unary)*` list; the AST builder applies bpftrace's precedence. */
  public expression = this.RULE("expression", () => {
    this.SUBRULE(this.unary);
    this.MANY((this.binaryTail ??= () => {
      this.CONSUME(T.BinaryOp);
      this.SUBRULE1(this.unary);
    }));
    this.OPTION((this.ternaryOption ??= () => this.SUBRULE(this.ternaryTail)));
  });

  /** `? a : b` or the short form `?: b`. */
  public ternaryTail = this.RULE("ternaryTail", () => {
    this.CONSUME(T.Question);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          this.SUBRULE(this.expression);
        },
      },
      {
        ALT: () => {
          this.SUBRULE1(this.expression);
          this.CONSUME1(T.Colon);
          this.SUBRULE2(this.expression);
        },
      },
    ]);
  });

  /**
   * Prefix operators, a primary, then postfix operators, in one rule: every
   * operand of every expression passes through here, and one rule instead of
   * a chain of three keeps the CST small. Prefix chains are a loop, so
   * `!!!!…x` does not recurse.
   */
  public unary = this.RULE("unary", () => {
    this.MANY((this.prefixLoop ??= () => {
      this.OR((this.prefixAlts ??= [
        { ALT: () => this.CONSUME(T.PrefixOp) },
        { ALT: () => this.CONSUME(T.PlusPlus) },
        { ALT: () => this.CONSUME(T.MinusMinus) },
      ]));
    }));
    this.SUBRULE(this.primary);
    this.MANY1((this.postfixLoop ??= () => {
      this.OR1((this.postfixAlts ??= [
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.OR2([{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.Integer) }]);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Arrow);
            this.CONSUME1(T.Name);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.SUBRULE(this.expression);
            this.CONSUME(T.RBracket);
          },
        },
        { ALT: () => this.CONSUME1(T.PlusPlus) },
        { ALT: () => this.CONSUME1(T.MinusMinus) },
      ]));
    }));
  });

  public primary = this.RULE("primary", () => {
    this.OR((this.primaryAlts ??= [
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.ifExpr) },
      { ALT: () => this.SUBRULE(this.sizeofExpr) },
      { ALT: () => this.SUBRULE(this.offsetofExpr) },
      { ALT: () => this.SUBRULE(this.typeinfoExpr) },
      {
        ALT: () => {
          this.CONSUME(T.Comptime);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.block) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      {
        ALT: () => {
          this.OR1((this.callNameAlts ??= [
            { ALT: () => this.CONSUME(T.Identifier) },
            { ALT: () => this.CONSUME(T.Config) },
            { ALT: () => this.CONSUME(T.Macro) },
            { ALT: () => this.CONSUME(T.Fn) },
          ]));
          this.OPTION((this.callParens ??= () => {
            this.CONSUME(T.LParen);
            this.MANY_SEP((this.callArgs ??= { SEP: T.Comma, DEF: () => this.SUBRULE(this.callArg) }));
            this.CONSUME(T.RParen);
          }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.MapName);
          this.OPTION1((this.mapKeys ??= () => {
            this.CONSUME(T.LBracket);
            this.AT_LEAST_ONE_SEP((this.mapKeyList ??= { SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) }));
            this.CONSUME(T.RBracket);
          }));
        },
      },
      { ALT: () => this.CONSUME(T.Variable) },
      { ALT: () => this.CONSUME(T.Positional) },
      { ALT: () => this.CONSUME(T.ParamCount) },
      { ALT: () => this.CONSUME(T.Integer) },
      { ALT: () => this.CONSUME(T.StringLit) },
    ]));
  });

  public callArg = this.RULE("callArg", () => {
    this.OR((this.callArgAlts ??= [
      { ALT: () => this.SUBRULE(this.typeofType) },
      { ALT: () => this.SUBRULE(this.expression) },
    ]));
  });

  /**
   * `()`, `(e)`, `(e,)`, `(a, b)`, `(name = e, …)` and casts `(T)e`. A cast's
   * operand is a unary expression, so `(T)a->b + 1` is `((T)(a->b)) + 1`
   * even though the cast sits in a primary position.
   */
  public parenExpr = this.RULE("parenExpr", () => {
    this.CONSUME(T.LParen);
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.castAhead(),
          ALT: () => {
            this.SUBRULE(this.typeRef);
            this.CONSUME(T.RParen);
            this.SUBRULE(this.unary);
          },
        },
        {
          GATE: () => this.recordAhead(),
          ALT: () => {
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.recordField) });
            this.CONSUME1(T.RParen);
          },
        },
        {
          ALT: () => {
            this.OPTION(() => {
              this.SUBRULE(this.expression);
              this.MANY(() => {
                this.CONSUME1(T.Comma);
                this.OPTION1(() => this.SUBRULE1(this.expression));
              });
            });
            this.CONSUME2(T.RParen);
          },
        },
      ],
    });
  });

  public recordField = this.RULE("recordField", () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expression);
  });

  public sizeofExpr = this.RULE("sizeofExpr", () => {
    this.CONSUME(T.Sizeof);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.typeOrExpr);
    this.CONSUME(T.RParen);
  });

  public offsetofExpr = this.RULE("offsetofExpr", () => {
    this.CONSUME(T.Offsetof);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.typeOrExpr);
    this.CONSUME(T.Comma);
    this.AT_LEAST_ONE_SEP({ SEP: T.Dot, DEF: () => this.CONSUME(T.Name) });
    this.CONSUME(T.RParen);
  });

  public typeinfoExpr = this.RULE("typeinfoExpr", () => {
    this.CONSUME(T.Typeinfo);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.typeOrExpr);
    this.CONSUME(T.RParen);
  });

  public typeOrExpr = this.RULE("typeOrExpr", () => {
    this.OR([
      {
        GATE: () => this.typeAhead(1),
        ALT: () => this.SUBRULE(this.typeRef),
      },
      { ALT: () => this.SUBRULE(this.expression) },
    ]);
  });

  // -- Types ----------------------------------------------------------------

  public typeRef = this.RULE("typeRef", () => {
    // `typeof` is also a Name; the typeof alternative comes first and wins.
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
      { ALT: () => this.SUBRULE(this.typeofType) },
      {
        ALT: () => {
          this.OPTION(() => {
            this.OR1([
              { ALT: () => this.CONSUME(T.Struct) },
              { ALT: () => this.CONSUME(T.Union) },
              { ALT: () => this.CONSUME(T.Enum) },
            ]);
          });
          this.CONSUME(T.Name);
          this.MANY(() => {
            this.OR2([
              { ALT: () => this.CONSUME(T.Star) },
              {
                ALT: () => {
                  this.CONSUME(T.LBracket);
                  this.OPTION1(() => this.CONSUME(T.Integer));
                  this.CONSUME(T.RBracket);
                },
              },
            ]);
          });
        },
      },
    ],
    });
  });

  public typeofType = this.RULE("typeofType", () => {
    this.CONSUME(T.Typeof);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.typeOrExpr);
    this.CONSUME(T.RParen);
  });

  // -- Lookahead predicates (token scans, no re-parsing) -------------------

  /** Index just past a type reference starting at LA(k), or -1. */
  private scanType(k: number): number {
    let tok = this.LA(k);
    if (tok.tokenType === T.Typeof) {
      if (this.LA(k + 1).tokenType !== T.LParen) return -1;
      let depth = 0;
      let i = k + 1;
      for (;; i++) {
        const t = this.LA(i).tokenType;
        if (t === T.LParen) depth++;
        else if (t === T.RParen) {
          depth--;
          if (depth === 0) return i + 1;
        } else if (t.name === "EOF" || i - k > 512) return -1;
      }
    }
    if (tok.tokenType === T.Struct || tok.tokenType === T.Union || tok.tokenType === T.Enum) {
      k++;
      tok = this.LA(k);
      if (!isName(tok.tokenType)) return -1;
    } else if (tok.tokenType !== T.Identifier) {
      return -1;
    } else if (isParserBuiltinName(tok.image)) {
      return -1;
    }
    k++;
    for (;;) {
      const t = this.LA(k).tokenType;
      if (t === T.Star) k++;
      else if (t === T.LBracket) {
        if (this.LA(k + 1).tokenType === T.RBracket) k += 2;
        else if (this.LA(k + 1).tokenType === T.Integer && this.LA(k + 2).tokenType === T.RBracket) k += 3;
        else return k;
      } else return k;
    }
  }

  /** After `(`: a type, `)`, then something that starts an expression. */
  private castAhead(): boolean {
    const after = this.scanType(1);
    if (after < 0 || this.LA(after).tokenType !== T.RParen) return false;
    return EXPRESSION_START.has(this.LA(after + 1).tokenType);
  }

  /** A type reference at LA(k) ending at `)` or `,`. */
  private typeAhead(k: number): boolean {
    const after = this.scanType(k);
    if (after < 0) return false;
    const t = this.LA(after).tokenType;
    return t === T.RParen || t === T.Comma;
  }

  /** `( name =` (not `==`) where name is not a parser builtin. */
  private recordAhead(): boolean {
    const tok = this.LA(1);
    return isName(tok.tokenType) && !isParserBuiltinName(tok.image) && this.LA(2).tokenType === T.Assign;
  }
}

function isName(type: TokenType): boolean {
  return type === T.Identifier || (type.CATEGORIES?.includes(T.Name) ?? false);
}

export const btParser = new BpftraceParser();
