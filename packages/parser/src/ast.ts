/**
 * The bpftrace AST: a discriminated union on `type`. Every node carries its
 * exact source range. Offsets are 0-based UTF-16 code-unit offsets into the
 * parsed text; lines and columns are 1-based (the way bpftrace and editors
 * print them). `end` is exclusive.
 */

export interface Position {
  offset: number;
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

interface NodeBase {
  range: Range;
}

// ---------------------------------------------------------------------------
// Program structure

export interface Program extends NodeBase {
  type: "Program";
  /** `#!…` line, kept verbatim. */
  shebang?: Shebang;
  /** Top-level items in source order. */
  body: TopLevel[];
  /** Every comment in the file, in source order (the formatter re-attaches them). */
  comments: Comment[];
}

export type TopLevel =
  | CPreprocessor
  | CDefinition
  | ConfigBlock
  | Import
  | Probe
  | MacroDef
  | FnDef
  | MapDecl;

export interface Shebang extends NodeBase {
  type: "Shebang";
  text: string;
}

export interface Comment extends NodeBase {
  type: "Comment";
  kind: "line" | "block";
  /** Full text including `//` or the `/* *\/` delimiters. */
  text: string;
}

/** `#include …`, `#define …`: one physical line, verbatim. */
export interface CPreprocessor extends NodeBase {
  type: "CPreprocessor";
  text: string;
}

/** `struct X { … };` handed to clang verbatim. */
export interface CDefinition extends NodeBase {
  type: "CDefinition";
  kind: "struct" | "union" | "enum";
  name?: string;
  text: string;
}

export interface ConfigBlock extends NodeBase {
  type: "ConfigBlock";
  items: ConfigItem[];
}

export interface ConfigItem extends NodeBase {
  type: "ConfigItem";
  key: Identifier;
  value: Expression;
}

/** `import "path";` at top level or as a statement. */
export interface Import extends NodeBase {
  type: "Import";
  path: StringLiteral;
}

export interface MacroDef extends NodeBase {
  type: "MacroDef";
  name: Identifier;
  params: (Variable | MapRef | Identifier)[];
  body: Block;
}

export interface FnDef extends NodeBase {
  type: "FnDef";
  name: Identifier;
  params: FnParam[];
  returnType: TypeRef;
  body: Block;
}

export interface FnParam extends NodeBase {
  type: "FnParam";
  variable: Variable;
  typeRef: TypeRef;
}

/** `let @m = hash(100);` */
export interface MapDecl extends NodeBase {
  type: "MapDecl";
  map: MapRef;
  kind: Identifier;
  size: IntegerLiteral;
}

// ---------------------------------------------------------------------------
// Probes and attach points

export interface Probe extends NodeBase {
  type: "Probe";
  attachPoints: AttachPoint[];
  predicate?: Predicate;
  body: Block;
}

export interface Predicate extends NodeBase {
  type: "Predicate";
  expression: Expression;
}

/** One piece of an attach point, as written and as bpftrace reads it. */
export interface AttachPart {
  /** Text as written (quotes kept). */
  raw: string;
  /** Text after unquoting (`"A::f"` → `A::f`). */
  value: string;
  quoted: boolean;
  range: Range;
}

export type TargetKind =
  /** absolute or relative path without wildcards */
  | "path"
  /** a path containing `*` or `[..]` */
  | "glob"
  /** a bare library name resolved through ld.so.cache, like `libc` */
  | "library"
  /** `/proc/PID/exe` */
  | "proc-exe"
  /** `*`: every process */
  | "all";

/**
 * An attach point: captured as raw text the way bpftrace captures it, then
 * split by a second stage into its parts. Every optional field is present only
 * when the provider has that part and the text has it.
 */
export interface AttachPoint extends NodeBase {
  type: "AttachPoint";
  raw: string;
  /** `name=` prefix of a named probe (0.25+). */
  probeName?: AttachPart;
  /** Provider as written (`u`, `uprobe`, `BEGIN`, `t*point`). */
  provider: AttachPart;
  /** Canonical provider (`uprobe`, `begin`), or undefined when unknown or wildcarded. */
  providerCanonical?: string;
  /** All `:`-separated parts after the provider, in order. */
  parts: AttachPart[];
  /** uprobe/uretprobe/usdt binary or library. */
  target?: AttachPart;
  targetKind?: TargetKind;
  /** `cpp` language part. */
  language?: AttachPart;
  /** kprobe/uprobe/fentry function, tracepoint event, iter name, … */
  func?: AttachPart;
  /** `+OFFSET` of kprobe/uprobe. */
  offset?: AttachPart;
  /** numeric address (kprobe/uprobe/watchpoint). */
  address?: AttachPart;
  /** kernel module (kprobe/fentry/rawtracepoint). */
  module?: AttachPart;
  /** tracepoint category. */
  category?: AttachPart;
  /** usdt provider and probe name. */
  usdtProvider?: AttachPart;
  usdtProbe?: AttachPart;
  /** profile/interval unit (`hz`, `s`, `ms`, `us`) and count; software/hardware count. */
  unit?: AttachPart;
  count?: AttachPart;
  /** software/hardware event name. */
  event?: AttachPart;
  /** uprobe `BIN@FILE:LINE[:COL]`. */
  sourceFile?: AttachPart;
  sourceLine?: AttachPart;
  sourceColumn?: AttachPart;
  /** watchpoint length and mode. */
  length?: AttachPart;
  mode?: AttachPart;
}

// ---------------------------------------------------------------------------
// Statements

export type Statement =
  | ExpressionStatement
  | Assignment
  | LetStatement
  | DiscardStatement
  | WhileStatement
  | UnrollStatement
  | ForStatement
  | BreakStatement
  | ContinueStatement
  | ReturnStatement
  | Import;

export interface Block extends NodeBase {
  type: "Block";
  statements: Statement[];
  /** Trailing expression without `;` (the block's value). */
  result?: Expression;
}

export interface ExpressionStatement extends NodeBase {
  type: "ExpressionStatement";
  expression: Expression;
  /** Whether the statement was written with a terminating `;`. */
  semicolon: boolean;
}

export type AssignmentOperator = "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "&=" | "|=" | "^=" | "<<=" | ">>=";

export interface Assignment extends NodeBase {
  type: "Assignment";
  target: Variable | MapRef | MapAccess;
  operator: AssignmentOperator;
  value: Expression;
}

export interface LetStatement extends NodeBase {
  type: "LetStatement";
  variable: Variable;
  typeRef?: TypeRef;
  value?: Expression;
}

/** `_ = expr;` */
export interface DiscardStatement extends NodeBase {
  type: "DiscardStatement";
  value: Expression;
}

export interface Condition extends NodeBase {
  type: "Condition";
  expression: Expression;
  /** Written as `(expr)` (required before 0.25). */
  parenthesized: boolean;
  /** `if comptime cond`: evaluated at compile time. */
  comptime?: boolean;
}

export interface WhileStatement extends NodeBase {
  type: "WhileStatement";
  condition: Condition;
  body: Block;
}

export interface UnrollStatement extends NodeBase {
  type: "UnrollStatement";
  count: Condition;
  body: Block;
}

export interface ForStatement extends NodeBase {
  type: "ForStatement";
  variable: Variable;
  iterable: MapRef | RangeExpression;
  parenthesized: boolean;
  body: Block;
}

export interface RangeExpression extends NodeBase {
  type: "RangeExpression";
  start: Expression;
  end: Expression;
}

export interface BreakStatement extends NodeBase {
  type: "BreakStatement";
}

export interface ContinueStatement extends NodeBase {
  type: "ContinueStatement";
}

export interface ReturnStatement extends NodeBase {
  type: "ReturnStatement";
  value?: Expression;
}

// ---------------------------------------------------------------------------
// Expressions

export type Expression =
  | IntegerLiteral
  | StringLiteral
  | BooleanLiteral
  | Identifier
  | Builtin
  | Variable
  | PositionalParam
  | ParamCount
  | MapRef
  | MapAccess
  | Call
  | UnaryExpression
  | UpdateExpression
  | BinaryExpression
  | TernaryExpression
  | FieldAccess
  | TupleIndex
  | IndexExpression
  | Cast
  | Parenthesized
  | TupleExpression
  | RecordExpression
  | SizeofExpression
  | OffsetofExpression
  | TypeinfoExpression
  | ComptimeExpression
  | IfExpression
  | Block;

export interface IntegerLiteral extends NodeBase {
  type: "IntegerLiteral";
  /** Spelling as written (`1_000`, `0x10`, `5ms`). */
  raw: string;
  /** Decimal value (after suffix scaling), or undefined when the literal is invalid. */
  value?: string;
  suffix?: string;
}

export interface StringLiteral extends NodeBase {
  type: "StringLiteral";
  /** Spelling as written, with quotes. */
  raw: string;
  /** Value after escapes. */
  value: string;
}

export interface BooleanLiteral extends NodeBase {
  type: "BooleanLiteral";
  value: boolean;
}

/** A plain name: stdlib macro (`comm`, `retval`), enum constant, C macro, type name. */
export interface Identifier extends NodeBase {
  type: "Identifier";
  name: string;
}

/** Names the parser itself treats as builtins: `args ctx kstack ustack nsecs pid tid argN sargN __builtin_*`. */
export interface Builtin extends NodeBase {
  type: "Builtin";
  name: string;
}

/** `$name` */
export interface Variable extends NodeBase {
  type: "Variable";
  /** Including the `$`. */
  name: string;
}

/** `$1` */
export interface PositionalParam extends NodeBase {
  type: "PositionalParam";
  index: number;
}

/** `$#` */
export interface ParamCount extends NodeBase {
  type: "ParamCount";
}

/** `@name` or `@` */
export interface MapRef extends NodeBase {
  type: "MapRef";
  /** Including the `@`. */
  name: string;
}

/** `@m[k]`, `@m[k1, k2]` */
export interface MapAccess extends NodeBase {
  type: "MapAccess";
  map: MapRef;
  keys: Expression[];
}

export interface Call extends NodeBase {
  type: "Call";
  callee: Identifier;
  args: (Expression | TypeofType)[];
}

export type UnaryOperator = "-" | "!" | "~" | "*" | "&";

export interface UnaryExpression extends NodeBase {
  type: "UnaryExpression";
  operator: UnaryOperator;
  operand: Expression;
}

export interface UpdateExpression extends NodeBase {
  type: "UpdateExpression";
  operator: "++" | "--";
  prefix: boolean;
  operand: Expression;
}

export type BinaryOperator =
  | "||" | "&&" | "|" | "^" | "&" | "==" | "!=" | "<" | ">" | "<=" | ">="
  | "<<" | ">>" | "+" | "-" | "*" | "/" | "%";

export interface BinaryExpression extends NodeBase {
  type: "BinaryExpression";
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
}

/** `c ? a : b`; `c ?: b` has no `consequent`. */
export interface TernaryExpression extends NodeBase {
  type: "TernaryExpression";
  test: Expression;
  consequent?: Expression;
  alternate: Expression;
}

/** `e.f` or `e->f` */
export interface FieldAccess extends NodeBase {
  type: "FieldAccess";
  object: Expression;
  field: Identifier;
  arrow: boolean;
}

/** `e.0` */
export interface TupleIndex extends NodeBase {
  type: "TupleIndex";
  object: Expression;
  index: IntegerLiteral;
}

/** `e[i]` on a non-map expression */
export interface IndexExpression extends NodeBase {
  type: "IndexExpression";
  object: Expression;
  index: Expression;
}

export interface Cast extends NodeBase {
  type: "Cast";
  typeRef: TypeRef;
  operand: Expression;
}

/** `(e)`, kept so tools can reproduce the author's grouping. */
export interface Parenthesized extends NodeBase {
  type: "Parenthesized";
  expression: Expression;
}

/** `()`, `(a,)`, `(a, b)` */
export interface TupleExpression extends NodeBase {
  type: "TupleExpression";
  elements: Expression[];
  trailingComma: boolean;
}

export interface RecordExpression extends NodeBase {
  type: "RecordExpression";
  fields: RecordField[];
}

export interface RecordField extends NodeBase {
  type: "RecordField";
  name: Identifier;
  value: Expression;
}

export interface SizeofExpression extends NodeBase {
  type: "SizeofExpression";
  argument: TypeRef | Expression;
}

export interface OffsetofExpression extends NodeBase {
  type: "OffsetofExpression";
  argument: TypeRef | Expression;
  fields: Identifier[];
}

export interface TypeinfoExpression extends NodeBase {
  type: "TypeinfoExpression";
  argument: TypeRef | Expression;
}

export interface ComptimeExpression extends NodeBase {
  type: "ComptimeExpression";
  operand: Expression;
}

export interface IfExpression extends NodeBase {
  type: "IfExpression";
  condition: Condition;
  consequent: Block;
  alternate?: Block | IfExpression;
}

// ---------------------------------------------------------------------------
// Types

export type TypeRef = NamedType | TypeofType;

export type TypeSuffix = { kind: "pointer" } | { kind: "array"; size?: number };

/** `int32`, `struct task_struct *`, `uint8[4]`, `string[16]` */
export interface NamedType extends NodeBase {
  type: "NamedType";
  /** `struct`, `union` or `enum` prefix. */
  tag?: "struct" | "union" | "enum";
  name: string;
  suffixes: TypeSuffix[];
}

/** `typeof(expr or type)` */
export interface TypeofType extends NodeBase {
  type: "TypeofType";
  argument: TypeRef | Expression;
}

export type Node =
  | Program
  | TopLevel
  | Shebang
  | Comment
  | ConfigItem
  | FnParam
  | Predicate
  | AttachPoint
  | Statement
  | Condition
  | RangeExpression
  | Expression
  | RecordField
  | TypeRef;

// ---------------------------------------------------------------------------
// Diagnostics

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  severity: Severity;
  message: string;
  range: Range;
  /**
   * Where the diagnostic comes from: `lex` and `syntax` (the grammar),
   * `literal` (integer/string literal rules), `attach-point` (the attach-point
   * parser), `version` (the target release lacks or removed this), `semantic`
   * (checks bpftrace makes at parse level, like unknown functions in old releases).
   */
  code: "lex" | "syntax" | "literal" | "attach-point" | "version" | "semantic" | "input";
}
