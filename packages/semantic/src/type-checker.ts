/**
 * The type checker: gives every expression of a program a bpftrace type (type-system.ts) and
 * records what bpftrace's type checker refuses (or warns about) as problems with a code. Rules
 * turn problems into findings; they never re-derive types. Facts about builtins and functions
 * come from the language data (grammar/data); types from the kernel or a binary come from a
 * TypeSource and are unknown without one, so they never produce a problem.
 */
import type {
  Assignment,
  Block,
  Call,
  Expression,
  FnDef,
  Identifier,
  IntegerLiteral,
  MacroDef,
  MapAccess,
  MapRef,
  NamedType,
  Node,
  Probe,
  Statement,
  TypeRef,
  TypeofType,
  Variable,
} from "@bt/parser";
import { createAddressSpaces } from "./address-space.ts";
import { isIPv6 } from "node:net";
import { compareReleases, language, walk } from "@bt/parser";
import { parseCDefinitions } from "./c-definitions.ts";
import { computeLeftSpine } from "./left-spine.ts";
import type { SemanticModel, VariableSymbol } from "./model.ts";
import { NO_TYPE_SOURCE, type TypeSource } from "./type-source.ts";
import {
  BOOL,
  SOME_INT,
  UINT64,
  INT64,
  intFitsInto,
  sameType,
  UNKNOWN,
  VOID,
  assignable,
  int,
  literalType,
  typeName,
  type BtType,
} from "./type-system.ts";

export type TypeProblemCode =
  /** A scratch variable assigned a value of another type than it holds. */
  | "variable-type"
  /** A variable declared `let $x;` without a type and never assigned, then read: it has no type. */
  | "untyped-variable"
  /** A value that does not fit the variable's declared (`let $x: T`) type. */
  | "declared-type"
  /** A map assigned a value of another type than it holds. */
  | "map-value-type"
  /** A hist()/lhist()/stats()/tseries() map value used as a key, variable, tuple element or loop value. */
  | "aggregation-value"
  /** A builtin that reads the probe context inside a `for` loop body. */
  | "context-in-loop"
  /** A `fn` with a return type whose body can end without `return`. */
  | "missing-return"
  /** A map's aggregation value copied into a map that has no type yet. */
  | "aggregation-copy"
  /** `hist()` with a different precision than before. */
  | "hist-bits"
  /** A map used with a different number or types of keys, or with and without keys. */
  | "map-key-type"
  | "map-scalar-and-keyed"
  /** A value-less expression (`printf()`, `exit()`) used as a value. */
  | "void-value"
  /** A builtin or function argument of a type it does not take. */
  | "argument-type"
  /** `has_key(@m, k)`, `len(@m)`, `delete(@m, k)` on a map used without keys; `for ($kv : @m)` over one. */
  | "scalar-map-call"
  | "scalar-map-loop"
  /** A call that fits none of the function's forms in this release nor in any other (`delete(1)`, `has_key(1, 2)`), or print()'s top/div after something other than a whole map. */
  | "no-signature"
  /** A call-style builtin given too many arguments or a word it does not know (`nsecs(xxx)`). */
  | "builtin-arguments"
  /** `fail()` outside a macro: compilation stops with its message. */
  | "fail"
  /** `break`/`continue` outside a loop. */
  | "jump-outside-loop"
  /** `let $x: sum_t` and other types a variable cannot have. */
  | "declaration-type"
  /** `getopt("name", …)` with different defaults for one option. */
  | "getopt-default"
  /** `let @m = kind(n)` with a kind that is not a map kind, or per-CPU-ness that does not fit the values. */
  | "map-decl-kind"
  /** `lhist()` with different bounds in one map. */
  | "lhist-bounds"
  /** A literal argument below the function's minimum (`str(p, -1)`). */
  | "argument-range"
  /** A literal argument whose value the function refuses (`tseries(…, "stats")`, `pton(":")`), or of a size it cannot take (`ntop("hello")`). */
  | "argument-value"
  /** `.field` or `->field` on something that has no fields, or a field the script's struct lacks. */
  | "field-access"
  /** `offsetof(T, a.b)` where `a` is not a struct (a pointer to one, an integer). */
  | "offsetof-field"
  | "unknown-field"
  /** `[i]` on something that is not an array, pointer or tuple, or a bad index. */
  | "index"
  | "tuple-index"
  /** An operator applied to operands of types it does not take. */
  | "operand-type"
  /** A condition with a type that has no truth value. */
  | "condition-type"
  /** A `return` whose value does not match the `fn`'s return type; a probe's `return` of something not an integer. */
  | "return-type"
  | "probe-return"
  /** A cast between types bpftrace cannot convert; a literal cast to a script enum that has no such value. */
  | "cast"
  | "enum-value"
  /** A cast to `enum E` the script does not define (bpftrace reads no kernel enum for casts, measured on 0.17, 0.23 and 0.27). */
  | "unknown-enum"
  /** A struct, union or type name in a cast, `sizeof()` or `offsetof()` that neither the script nor the kernel defines (only when a TypeSource knows the kernel's types). */
  | "unknown-type"
  /** A bare word that is no builtin, no enum value of the script and none of the kernel's (only when a TypeSource knows the kernel's enums). */
  | "unknown-identifier"
  /** `kstack(mode, limit)`: a mode that is not a stack mode, a limit that is not an integer literal. */
  | "stack-mode"
  | "stack-limit"
  /** Warnings: `/` or `%` with a signed operand; an operand implicitly cast to another sign or size; a cast to the type the value already has. */
  | "signed-division"
  | "implicit-cast"
  | "unnecessary-cast"
  /** Warnings: a statement after `return`/`break`/`continue`; `print(@stats_map, top, div)`; `==` of pointers to different types. */
  | "unreachable"
  | "print-stats-arguments"
  | "distinct-pointers"
  /** `unroll (n)` outside 1..100. */
  | "unroll-count"
  /** An expression statement whose value is thrown away (warning). */
  | "discarded-value"
  /** A call of a function bpftrace's standard library writes as a macro that throws a value away (warning, data callWarnsDiscardedSince). */
  | "stdlib-discarded-value"
  /** An unsafe function (`system()`) in a run without `--unsafe` (only when the run is known). */
  | "unsafe-call"
  /** `$N` where the run gives no N-th positional parameter (warning; only when the run's parameters are known). */
  | "empty-positional"
  /** `str($N + k)`: bpftrace reads the parameter's text from offset k, and k is at or past its end (warning). */
  | "positional-offset-past-end"
  /** An integer operator mixing a user-space value (a `tracepoint:syscalls:*` probe's `args`) with a kernel one (a literal): bpftrace warns. */
  | "address-space-mismatch"
  /** `comptime` of an expression that reads a variable or a map, which exist only when the program runs. */
  | "comptime-runtime"
  /** A map assignment inside `typeof()`, `typeinfo()` or `sizeof()`, which are never run. */
  | "type-query-map-assignment";

export interface TypeProblem {
  code: TypeProblemCode;
  node: Node;
  /** Placeholders for the rule's message. */
  data: Record<string, string | number>;
}

export interface TypeCheckResult {
  /** The type of an expression; `unknown` where the checker cannot tell. */
  typeOf(e: Expression): BtType;
  /** The value type a map holds (its first assignment), if known. */
  mapValueType(name: string): BtType | undefined;
  /** The type a scratch variable holds, if known. */
  variableType(sym: VariableSymbol): BtType | undefined;
  problems: TypeProblem[];
}

/**
 * The language data's lookups scan lists (builtins by pattern): memoised per name and release, the
 * facts shared read-only. One map per argument: joining the arguments into one key on every
 * lookup cost more than the lookups of a big file's type check.
 */
function memo<A extends string[], R>(f: (...a: A) => R): (...a: A) => R {
  const root = new Map<string, unknown>();
  return (...a: A) => {
    let level = root;
    for (let i = 0; i < a.length - 1; i++) {
      let next = level.get(a[i]) as Map<string, unknown> | undefined;
      if (!next) level.set(a[i], (next = new Map()));
      level = next;
    }
    const last = a[a.length - 1];
    if (level.has(last)) return level.get(last) as R;
    const v = f(...a);
    level.set(last, v);
    return v;
  };
}
const lookup = {
  builtin: memo((name: string, release: string) => language.findBuiltin(name, release)),
  fn: memo((name: string) => language.findFunction(name)),
  type: memo((name: string) => language.findType(name)),
  signatures: memo((name: string, release: string) => language.functionSignatureFor(name, release)),
  /** Whether a function takes maps (`map`/`mapKey` arguments) or arguments allowed only after a whole map. */
  signatureKinds: memo((name: string) => {
    const sigs = language.findFunction(name)?.signatures ?? [];
    return {
      takesMaps: sigs.some((s) => s.args.some((a) => a.kind === "map" || a.kind === "mapKey")),
      wholeMapOnly: sigs.some((s) => s.args.some((a) => (a as { wholeMapOnly?: boolean }).wholeMapOnly)),
    };
  }),
};

const utf8 = new TextEncoder();
const INT64_MAX = (1n << 63n) - 1n;
const COMPARISON = new Set(["==", "!=", "<", ">", "<=", ">="]);
const LOGICAL = new Set(["&&", "||"]);

interface MapState {
  value?: BtType;
  /** The first value's type is unknown: later values cannot be compared with it. */
  unchecked?: boolean;
  /** Key types, or "scalar" for `@m` without keys. */
  keys?: BtType[] | "scalar";
}

/** C's own type names (`(char)1`, `sizeof(long)`), which no BTF lists. */
const C_TYPE_WORDS = /^(char|short|int|long|signed|unsigned|float|double|_Bool|void)$/;

export function checkTypes(model: SemanticModel, source: TypeSource = NO_TYPE_SOURCE): TypeCheckResult {
  const target = model.target;
  const since = (r: string) => compareReleases(target, r) >= 0;
  const sizedLiterals = since("0.26");
  const hasBool = since("0.24");
  const boolType = hasBool ? BOOL : SOME_INT;
  const cdefs = parseCDefinitions(model.program);
  /**
   * Whether the script or its binaries may define `name`: any preprocessor line (an `#include`d header,
   * a `#define`) may, and so may a C definition naming it, which bt-lint does not read whole
   * (typedefs; a struct member of a kernel enum type, which makes bpftrace read that enum too).
   */
  const cText = model.program.body.flatMap((t) => (t.type === "CDefinition" || t.type === "CPreprocessor" ? [t] : []));
  const cWords = new Set(cText.flatMap((t) => (t.type === "CDefinition" ? (t.text.match(/\w+/g) ?? []) : [])));
  // A program with a user-space probe also has the types of its binaries (DWARF: `(struct Foo *)arg0` in a uprobe), which no TypeSource here lists.
  const binaryTypes = model.program.body.some((t) => t.type === "Probe" && t.attachPoints.some((ap) => ["uprobe", "uretprobe", "usdt"].includes(ap.providerCanonical ?? "")));
  const mayBeScriptDefined = (name: string) => binaryTypes || cText.some((t) => t.type === "CPreprocessor") || cWords.has(name);
  const fns = new Map<string, FnDef>();
  for (const t of model.program.body) if (t.type === "FnDef") fns.set(t.name.name, t);

  const types = new Map<Expression, BtType>();
  /** Address spaces, asked only while reporting: they use the integer types this pass has found so far. */
  const addressSpaces = createAddressSpaces(model, (x) => types.get(x)?.k === "int");
  const varTypes = new Map<VariableSymbol, { type: BtType; declared: boolean; fromNegativeLiteral?: boolean }>();
  /** Types assigned to each variable anywhere (pass 1): bpftrace unifies them, so a variable given several has no exact integer type. */
  const writtenTypes = new Map<VariableSymbol, Set<string>>();
  const noteWrite = (sym: VariableSymbol, t: BtType) => {
    if (reporting) return;
    let s = writtenTypes.get(sym);
    if (!s) writtenTypes.set(sym, (s = new Set()));
    s.add(typeName(stored(t)));
  };
  const maps = new Map<string, MapState>();
  let problems: TypeProblem[] = [];
  let reporting = false;
  /** Problems found while expanding a macro, by code and place: a macro expanded twice reports each once. */
  const reportedInMacros = new Set<string>();
  const report = (code: TypeProblemCode, node: Node, data: Record<string, string | number> = {}) => {
    if (!reporting) return;
    if (node.type === "Identifier") node = macroArguments.at(-1)?.get(node.name) ?? node;
    if (expanding.length > 0) {
      const key = `${code}@${node.range.start.offset}`;
      if (reportedInMacros.has(key)) return;
      reportedInMacros.add(key);
    }
    problems.push({ code, node, data });
  };
  const macros = new Map<string, MacroDef>();
  for (const t of model.program.body) if (t.type === "MacroDef") macros.set(t.name.name, t);
  /** The macros being expanded, innermost last, and the types of each one's variables by name. */
  const expanding: MacroDef[] = [];
  const macroVariables: Map<string, BtType>[] = [];
  const macroArguments: Map<string, Node>[] = [];
  /** A variable of the macro being expanded gets its first value's type. */
  const noteMacroVariable = (name: string, t: BtType) => {
    const vars = macroVariables.at(-1);
    if (vars && !vars.has(name) && t.k !== "void") vars.set(name, stored(t));
  };
  let currentFn: FnDef | undefined;
  let currentProbe: Probe | undefined;
  /** How many `for` loop bodies enclose the expression being checked. */
  let loopDepth = 0;
  /** How many loops of any kind (for, while, unroll) enclose the statement being checked. */
  let anyLoopDepth = 0;
  /**
   * The integer type bpftrace gives a map from all the integers stored in it (pass 1:
   * its get_promoted_int); pass 2 warns where a stored value does not fit it. `null`: not all exact integers.
   */
  const promoted = new Map<unknown, (BtType & { k: "int" }) | null>();
  const flexible = (t: BtType & { k: "int" }) => t.literal !== undefined && t.literal >= 0n;
  function promote(a: BtType & { k: "int" }, b: BtType & { k: "int" }): BtType & { k: "int" } {
    const fa = flexible(a), fb = flexible(b);
    const lit = fa && fb ? { literal: 0n } : {};
    if (a.signed !== b.signed) {
      if (fa || fb) return { k: "int", signed: (!fa && a.signed) || (!fb && b.signed), bits: Math.max(a.bits, b.bits), ...lit };
      if (a.signed && a.bits > b.bits) return { k: "int", signed: true, bits: a.bits };
      if (b.signed && b.bits > a.bits) return { k: "int", signed: true, bits: b.bits };
      return { k: "int", signed: true, bits: Math.min(Math.max(a.bits, b.bits) * 2, 64) };
    }
    return { k: "int", signed: a.signed, bits: Math.max(a.bits, b.bits), ...lit };
  }
  /**
   * A value stored with `=` into a map (`key`: its name): learn (pass 1) or check (pass 2) its integer promotion.
   * Scratch variables are left out: a variable assigned from itself (`$l = $l - 1`) gets a type bt-lint cannot follow.
   */
  function storeInt(key: unknown, value: BtType, valueNode: Node): void {
    if (!sizedLiterals) return;
    if (!reporting) {
      const seen = promoted.get(key);
      if (seen === null) return;
      if (value.k !== "int" || value.inexact) return void promoted.set(key, null);
      promoted.set(key, seen === undefined ? value : promote(seen, value));
      return;
    }
    const to = promoted.get(key);
    if (!to || value.k !== "int" || value.inexact || value.literal !== undefined) return;
    if (!intFitsInto(value, to)) report("implicit-cast", valueNode, { from: typeName(value), to: typeName({ k: "int", signed: to.signed, bits: to.bits }) });
  }

  /** The promotion slot of a map's i-th key or value element (storeInt's key): one object per map and position. */
  const keySlots = new Map<string, object[]>();
  const keySlot = (name: string, i: number): object => {
    let slots = keySlots.get(name);
    if (!slots) keySlots.set(name, (slots = []));
    return (slots[i] ??= {});
  };

  /** `getopt("name", default)`: the first default seen per option. */
  const getoptDefaults = new Map<string, string>();

  // ---- types written in the script

  /** A type bpftrace itself names (`uint32`, `string`, `sum_t`), not C. */
  function bpftraceType(name: string): BtType | undefined {
    const m = /^(u?)int(8|16|32|64)$/.exec(name);
    if (m) return int(m[1] === "", Number(m[2]));
    if (name === "bool") return boolType;
    if (name === "void") return VOID;
    if (name === "string" || name === "str_t") return { k: "string" };
    if (name === "buffer" || name === "buf_t") return { k: "buffer" };
    if (lookup.type(name)) return { k: "opaque", name };
    return undefined;
  }

  function namedType(t: NamedType): BtType {
    let base: BtType;
    if (t.tag === "enum") base = SOME_INT;
    else if (t.tag) base = cdefs.get(`${t.tag} ${t.name}`) ?? source.namedType?.(t.tag, t.name) ?? { k: "struct", tag: t.tag, name: t.name };
    else base = bpftraceType(t.name) ?? cdefs.get(t.name) ?? source.namedType?.(undefined, t.name) ?? UNKNOWN;
    for (const s of t.suffixes) {
      if (s.kind === "pointer") base = { k: "pointer", to: base };
      else if (base.k === "string" && s.size !== undefined) base = { k: "string", size: s.size };
      else base = { k: "array", of: base, length: s.size };
    }
    return base;
  }
  const typeRef = (t: TypeRef | TypeofType): BtType => {
    if (t.type === "NamedType") return namedType(t);
    const a = t.argument;
    mapAssignmentsIn(a, "typeof");
    if (a.type === "NamedType" || a.type === "TypeofType") return typeRef(a);
    const v = typeOfExpr(a);
    // `typeof(@m)` of a map with keys is not its value type.
    return a.type === "MapRef" ? UNKNOWN : v;
  };

  /**
   * Reports a type named in a cast, `sizeof()` or `offsetof()` that exists nowhere: a struct or
   * union, or a bare name, that neither the script nor the kernel's BTF defines (a bare name in
   * `sizeof()`/`offsetof()` may also be a kernel enum value). Without a TypeSource that knows
   * the kernel's types, nothing is reported.
   */
  function checkTypeExists(t: TypeRef | TypeofType, valueAllowed: boolean): void {
    // In a macro, a bare name may be a parameter standing for a type (`sizeof(t)` of `m(typeof(uint64))`).
    if (t.type !== "NamedType" || t.tag === "enum" || expanding.length > 0 || mayBeScriptDefined(t.name)) return;
    if (!t.tag && (bpftraceType(t.name) || C_TYPE_WORDS.test(t.name))) return;
    if (cdefs.get(t.tag ? `${t.tag} ${t.name}` : t.name) || (valueAllowed && cdefs.enumValues.has(t.name))) return;
    if (source.kernelTypeExists?.(t.tag, t.name) !== false) return;
    if (valueAllowed && !t.tag && source.kernelEnumValueExists?.(t.name) !== false) return;
    report("unknown-type", t, { name: t.tag ? `${t.tag} ${t.name}` : t.name });
  }

  // ---- builtins typed by the kernel or the binary (a TypeSource)

  /** `args`, `retval` and `curtask` where the TypeSource knows them; undefined leaves them to the language data. */
  function typeFromSource(name: string, e: Expression): BtType | undefined {
    if (name === "curtask") {
      // Without the kernel's definition, a task_struct whose fields are unknown.
      const task = cdefs.get("struct task_struct") ?? source.namedType?.("struct", "task_struct") ?? { k: "struct", tag: "struct", name: "task_struct" };
      return { k: "pointer", to: task };
    }
    if (name !== "args" && name !== "retval") return undefined;
    const ask = name === "args" ? source.probeArgs : source.probeRetval;
    const owner = model.ownerOf(e);
    if (owner?.type !== "Probe" || owner.attachPoints.length === 0) return undefined;
    // A kretprobe's retval is the return register's value, a uint64 (no BTF involved).
    const registerValue = name === "retval" && sizedLiterals && owner.attachPoints.every((ap) => ap.providerCanonical === "kretprobe") ? UINT64 : undefined;
    if (!ask) return registerValue;
    // One type for all attach points, or none: a field of one probe's args may be missing from another's.
    const each = owner.attachPoints.map((ap) => ask.call(source, ap.raw));
    const first = each[0];
    if (first && each.every((t) => t !== undefined && typeName(t) === typeName(first))) return first;
    return each.every((t) => t === undefined) ? registerValue : undefined;
  }

  /**
   * `$x = nonsense`: a bare word that is no builtin and no enum value, the script's or the
   * kernel's. Words given to calls (`kstack(perf)`) and words inside macros (which may be a
   * parameter of an outer macro) are the calls' and macros' own; only a TypeSource that knows the
   * kernel's enums can tell that a word is none of theirs.
   */
  function checkIdentifierExists(e: Identifier): void {
    if (expanding.length > 0 || model.parentOf(e)?.type === "Call") return;
    const name = e.name.replace(/^__builtin_/, "");
    // A macro of no parameters is called by its bare name (`macro errname() { … } … if errname {`); a stack mode
    // (`@x = perf`) passes bpftrace's type checker as a value of its own.
    if (lookup.builtin(name, target) || macros.has(e.name) || cdefs.enumValues.has(e.name) || mayBeScriptDefined(e.name)) return;
    if (lookup.builtin("kstack", target)?.call?.args?.[0]?.values?.includes(e.name)) return;
    if (source.kernelEnumValueExists?.(e.name) === false) report("unknown-identifier", e, { name: e.name });
  }

  // ---- builtins and functions, from the language data

  function builtinType(name: string, args: (Expression | TypeofType)[] = []): BtType {
    if (/^sarg\d+$/.test(name)) return SOME_INT;
    const b = lookup.builtin(name, target);
    if (!b) return cdefs.enumValues.has(name) ? SOME_INT : UNKNOWN;
    const exact = b.intType ? /^(u?)int(\d+)$/.exec(b.intType) : null;
    switch (b.type) {
      case "integer":
      case "timestamp":
        if (name === "retval") return UNKNOWN; // fexit/uretprobe return values come from BTF/DWARF
        return exact && sizedLiterals ? int(exact[1] === "", Number(exact[2])) : SOME_INT;
      case "bool":
        return boolType;
      case "string":
        return name === "comm" || name === "pcomm" || name === "leader_comm" ? { k: "string", size: 16 } : { k: "string" };
      case "pointer":
        return { k: "pointer", to: UNKNOWN };
      case "stack": {
        const mode = args.find((a) => a.type === "Identifier" || a.type === "Builtin") as { name: string } | undefined;
        const limit = args.find((a) => a.type === "IntegerLiteral") as IntegerLiteral | undefined;
        return { k: "stack", user: name !== "kstack", mode: mode?.name, limit: limit?.value !== undefined ? Number(limit.value) : undefined };
      }
      default:
        return UNKNOWN;
    }
  }

  /** `getopt(name, default)` has its default's type, an integer widened to 64 bits (data returnsDefaultTypeSince). */
  function getoptType(call: Call, f: object): BtType {
    const from = (f as { returnsDefaultTypeSince?: string }).returnsDefaultTypeSince;
    const d = call.args[1];
    if (!from || !since(from) || !d || d.type === "TypeofType") return UNKNOWN;
    const t = typeOfExpr(d);
    if (t.k === "int" && t.literal !== undefined) return int(t.literal < 0n, 64);
    return t.k === "bool" ? boolType : UNKNOWN;
  }

  function callType(call: Call): BtType {
    const name = call.callee.name;
    const fn = fns.get(name);
    if (fn) return typeRef(fn.returnType);
    const macro = macros.get(name);
    if (macro) return expandMacro(macro, call);
    if (model.userCallables.has(name)) return UNKNOWN;
    const f = lookup.fn(name);
    if (!f) {
      const b = lookup.builtin(name, target);
      if (b?.type === "stack" && b.call) {
        if (call.args.length > b.call.maxArgs) report("builtin-arguments", call, { fn: name, problem: `takes at most ${b.call.maxArgs} arguments` });
        checkStackArguments(call, b.call.args?.[0]?.values ?? []);
      }
      else if (b?.call) checkBuiltinCall(call, b.call);
      return b?.call ? builtinType(name, call.args) : UNKNOWN;
    }
    if (name === "getopt") return getoptType(call, f);
    if (name === "pton") {
      const a = call.args[0];
      const bytes = a?.type === "StringLiteral" ? ipAddressBytes(a.value) : undefined;
      return { k: "array", of: int(false, 8), ...(bytes !== undefined ? { length: bytes } : {}) };
    }
    switch (f.returns) {
      case "void":
        return VOID;
      case "int":
        return SOME_INT;
      case "bool":
        return boolType;
      case "string":
        return { k: "string" };
      case "buffer":
        return { k: "buffer" };
      case "pointer":
        return { k: "pointer", to: UNKNOWN };
      case "symbol":
        return name === "ksym" || name === "usym" ? { k: "opaque", name: `${name}_t` } : UNKNOWN;
      case "inet":
        return { k: "opaque", name: "inet" };
      case "timestamp":
        return { k: "opaque", name: "timestamp" };
      case "aggregation": {
        const bits = name === "hist" && call.args[1]?.type === "IntegerLiteral" ? Number(call.args[1].value) : name === "hist" ? 5 : undefined;
        const bounds = name === "lhist" && call.args.slice(1, 4).every((a) => a.type === "IntegerLiteral") ? call.args.slice(1, 4).map((a) => (a as IntegerLiteral).value).join(", ") : undefined;
        return { k: "aggregation", fn: name, ...(bits !== undefined ? { bits } : {}), ...(bounds !== undefined ? { bounds } : {}) };
      }
      default:
        return UNKNOWN;
    }
  }

  /**
   * A macro call is typed as bpftrace does it, by expanding the macro: its body is checked with
   * each `$param` or bare-word parameter holding its argument's type, and problems in it are
   * reported in the body (about a bare-word parameter: at the argument, which bpftrace puts in its
   * place). Recursive macros, calls with the wrong number of arguments and map parameters given
   * another map than their own name are not expanded (their type is unknown).
   */
  function expandMacro(macro: MacroDef, call: Call): BtType {
    // `getcwd(@paths)` for `macro getcwd(@paths)`: bt-lint does not rename maps.
    const sameMap = (p: MacroDef["params"][number], a: Expression | TypeofType) => a.type !== "TypeofType" && unwrap(a).type === "MapRef" && (unwrap(a) as MapRef).name === (p as MapRef).name;
    if (expanding.includes(macro) || macro.params.length !== call.args.length || macro.params.some((p, i) => p.type === "MapRef" && !sameMap(p, call.args[i]))) return UNKNOWN;
    const argTypes = call.args.map((a) => (a.type === "TypeofType" || unwrap(a).type === "MapRef" ? UNKNOWN : typeOfExpr(a)));
    // Each expansion starts afresh: the body's expressions are typed for these arguments. Macros are
    // hygienic and the model gives their variables no symbols: they are followed by name, per expansion.
    walk(macro.body, (n) => void types.delete(n as Expression));
    expanding.push(macro);
    macroVariables.push(new Map(macro.params.flatMap((p, i) => (p.type === "MapRef" ? [] : [[p.name, stored(argTypes[i])] as const]))));
    // A bare-word parameter is replaced by its argument: what is reported about it is reported at the argument.
    macroArguments.push(new Map(macro.params.flatMap((p, i) => (p.type === "Identifier" && call.args[i].type !== "TypeofType" ? [[p.name, call.args[i] as Node] as const] : []))));
    try {
      return block(macro.body);
    } finally {
      expanding.pop();
      macroVariables.pop();
      macroArguments.pop();
    }
  }

  // ---- expressions

  function typeOfExpr(e: Expression): BtType {
    const hit = types.get(e);
    if (hit) return hit;
    computeLeftSpine(e, types, compute);
    const t = compute(e);
    types.set(e, t);
    return t;
  }

  /** Visits an expression and gives its type; map reads and writes update the maps' facts. */
  function compute(e: Expression): BtType {
    switch (e.type) {
      case "IntegerLiteral":
        return e.value !== undefined ? literalType(BigInt(e.value), sizedLiterals) : UNKNOWN;
      case "StringLiteral":
        return { k: "string", size: utf8.encode(e.value).length + 1 };
      case "BooleanLiteral":
        return boolType;
      case "Builtin":
      case "Identifier": {
        if (e.type === "Identifier" && macroArguments.at(-1)?.has(e.name)) return macroVariables.at(-1)!.get(e.name) ?? UNKNOWN;
        if (e.type === "Identifier") checkIdentifierExists(e);
        const name = e.name.replace(/^__builtin_/, "");
        // A macro of no parameters called by its bare name (`(uint64)max_path_depth`).
        const bareMacro = e.type === "Identifier" && !lookup.builtin(name, target) ? macros.get(e.name) : undefined;
        if (bareMacro && bareMacro.params.length === 0) return expandMacro(bareMacro, { type: "Call", callee: e, args: [], range: e.range } as unknown as Call);
        if (loopDepth > 0 && e.type === "Builtin" && lookup.builtin(name, target)?.notInForLoop) report("context-in-loop", e, { name });
        return typeFromSource(name, e) ?? builtinType(name);
      }
      case "Variable": {
        const sym = model.symbolOf(e);
        if (!sym && macroVariables.length > 0) return macroVariables.at(-1)!.get(e.name) ?? UNKNOWN;
        if (sym && neverTyped(sym) && model.parentOf(e)?.type !== "LetStatement") report("untyped-variable", e, { name: e.name });
        const t = (sym && varTypes.get(sym)?.type) ?? UNKNOWN;
        return t.k === "int" && (writtenTypes.get(sym!)?.size ?? 0) > 1 ? { ...t, inexact: true } : t;
      }
      case "PositionalParam": {
        const params = source.run?.positionalParameters;
        // `str($N)` is bpftrace's way to take an optional parameter: empty is meant there.
        const parent = model.parentOf(e);
        const optional = parent?.type === "Call" && parent.callee.name === "str";
        if (params && !params[e.index - 1] && !optional) report("empty-positional", e, { n: e.index });
        return positionalType(e.index);
      }
      case "ParamCount":
        return SOME_INT;
      case "MapRef":
        mapUse(e, undefined);
        return maps.get(e.name)?.value ?? UNKNOWN;
      case "MapAccess":
        for (const k of e.keys) typeOfExpr(k);
        mapUse(e.map, e);
        return maps.get(e.map.name)?.value ?? UNKNOWN;
      case "Call":
        return checkCall(e);
      case "UnaryExpression": {
        if (e.operator === "-" && e.operand.type === "IntegerLiteral" && e.operand.value !== undefined) {
          return literalType(-BigInt(e.operand.value), sizedLiterals);
        }
        const t = typeOfExpr(e.operand);
        if (t.k === "void") report("void-value", e.operand, { use: `an operand of \`${e.operator}\`` });
        switch (e.operator) {
          case "!":
            if (t.k !== "unknown" && t.k !== "int" && t.k !== "bool" && t.k !== "void")
              report("operand-type", e, { operator: "!", type: typeName(t) });
            return boolType;
          case "-":
          case "~":
            // `-true` is an integer; `~true` is refused.
            if (t.k !== "unknown" && t.k !== "int" && !(t.k === "bool" && e.operator === "-") && t.k !== "void" && !(t.k === "aggregation" && readsAsInt(t)))
              report("operand-type", e, { operator: e.operator, type: typeName(t) });
            return t.k === "unknown" ? UNKNOWN : SOME_INT;
          case "*":
            if (t.k === "pointer") return t.to;
            // bpftrace reads 8 bytes at an integer taken as an address.
            if (t.k === "int") return UINT64;
            if (t.k !== "unknown" && t.k !== "void") report("operand-type", e, { operator: "*", type: typeName(t) });
            return UNKNOWN;
          case "&":
            return { k: "pointer", to: t };
        }
        return UNKNOWN;
      }
      case "UpdateExpression": {
        const t = typeOfExpr(e.operand);
        if (t.k !== "unknown" && t.k !== "int" && t.k !== "pointer" && !(t.k === "aggregation" && readsAsInt(t)))
          report("operand-type", e, { operator: e.operator, type: typeName(t) });
        if (e.operand.type === "MapRef" || e.operand.type === "MapAccess") {
          const ref = e.operand.type === "MapRef" ? e.operand : e.operand.map;
          mapWrite(ref, e.operand.type === "MapAccess" ? e.operand : undefined, t.k === "pointer" ? t : SOME_INT, e, e.operand);
        }
        return t.k === "unknown" ? UNKNOWN : t;
      }
      case "BinaryExpression":
        return binary(e.operator, e.left, e.right, e);
      case "TernaryExpression": {
        condition(e.test);
        const a = e.consequent ? typeOfExpr(e.consequent) : typeOfExpr(e.test);
        const b = typeOfExpr(e.alternate);
        if (a.k !== "unknown" && b.k !== "unknown" && !assignable(a, b) && !(isNumeric(a) && isNumeric(b)))
          report("operand-type", e, { operator: "?:", type: `${typeName(a)} and ${typeName(b)}` });
        return unifyBranches(a, e.consequent ?? e.test, b, e.alternate) ?? (a.k === "unknown" ? b : a);
      }
      case "FieldAccess": {
        const t = typeOfExpr(e.object);
        return fieldOf(t, e.field.name, e.arrow, e);
      }
      case "TupleIndex": {
        const t = typeOfExpr(e.object);
        const i = Number(e.index.value);
        if (t.k === "tuple") {
          if (i >= t.elements.length) report("tuple-index", e.index, { index: i, count: t.elements.length });
          return t.elements[i] ?? UNKNOWN;
        }
        if (t.k !== "unknown") report("field-access", e, { field: String(i), type: typeName(t) });
        return UNKNOWN;
      }
      case "IndexExpression": {
        const t = typeOfExpr(e.object);
        const it = constantOf(e.index) ?? typeOfExpr(e.index);
        if (it.k !== "unknown" && it.k !== "int") report("index", e.index, { problem: `an index must be a non-negative integer, not ${typeName(it)}` });
        else if (it.k === "int" && it.literal !== undefined && it.literal < 0n) report("index", e.index, { problem: `an index must be a non-negative integer, not ${it.literal}` });
        else if (t.k === "array" && t.length !== undefined && it.k === "int" && it.literal !== undefined && it.literal >= BigInt(t.length))
          report("index", e.index, { problem: `index ${it.literal} is past the end of ${typeName(t)}` });
        else if (t.k === "string" && t.size !== undefined && it.k === "int" && it.literal !== undefined && it.literal >= BigInt(t.size))
          report("index", e.index, { problem: `index ${it.literal} is past the end of ${typeName(t)} (${t.size} bytes with the terminating NUL)` });
        if (t.k === "array") return t.of;
        if (t.k === "pointer" && t.to.k === "void") {
          report("index", e, { problem: "`[]` cannot index a `void *`: its elements have no size. Cast it to a pointer to a sized type first" });
          return UNKNOWN;
        }
        if (t.k === "pointer") return t.to;
        if (t.k === "void") report("index", e, { problem: "this has no type bpftrace can read (a flexible array member such as `int y[]` cannot be read); index a pointer to its element type instead" });
        else if (t.k === "int" || t.k === "bool" || t.k === "struct" || t.k === "record")
          report("index", e, { problem: `\`[]\` works on arrays, pointers and tuples, not on ${typeName(t)}` });
        return UNKNOWN;
      }
      case "Cast": {
        const from = typeOfExpr(e.operand);
        const to = typeRef(e.typeRef);
        checkTypeExists(e.typeRef, false);
        // bpftrace knows `enum E` in a cast only from the script's C text, not from the kernel's BTF.
        if (e.typeRef.type === "NamedType" && e.typeRef.tag === "enum" && e.typeRef.suffixes.length === 0 && !cdefs.get(`enum ${e.typeRef.name}`) && !mayBeScriptDefined(e.typeRef.name))
          report("unknown-enum", e.typeRef, { name: e.typeRef.name });
        checkCast(from, to, e);
        // `(enum E)3`: a literal must be one of the script's enum's values.
        const variants = e.typeRef.type === "NamedType" && e.typeRef.tag === "enum" && e.typeRef.suffixes.length === 0 ? cdefs.enumVariants.get(e.typeRef.name) : undefined;
        if (variants && from.k === "int" && from.literal !== undefined && !variants.has(from.literal))
          report("enum-value", e, { name: (e.typeRef as NamedType).name, value: String(from.literal) });
        const exactInt = (t: BtType) => t.k !== "int" || !t.inexact;
        if (sameType(from, to) && exactInt(from) && (from.k === "int" || from.k === "bool" || from.k === "pointer"))
          report("unnecessary-cast", e, { type: typeName(to) });
        return to;
      }
      case "Parenthesized":
        return typeOfExpr(e.expression);
      case "TupleExpression":
        return { k: "tuple", elements: e.elements.map((x) => valueOf(x, "a tuple element")) };
      case "RecordExpression":
        return { k: "record", fields: e.fields.map((f) => ({ name: f.name.name, type: valueOf(f.value, "a record field") })) };
      case "SizeofExpression":
      case "OffsetofExpression": {
        if (e.type === "SizeofExpression") mapAssignmentsIn(e.argument, "sizeof");
        const t = e.argument.type !== "NamedType" && e.argument.type !== "TypeofType" ? typeOfExpr(e.argument) : typeRef(e.argument);
        if (e.argument.type === "NamedType") checkTypeExists(e.argument, true);
        if (e.type === "OffsetofExpression") offsetOf(t, e.fields);
        return SOME_INT;
      }
      case "TypeinfoExpression":
        mapAssignmentsIn(e.argument, "typeinfo");
        return UNKNOWN;
      case "ComptimeExpression": {
        const t = typeOfExpr(e.operand);
        const runtime = runtimeValueIn(e.operand);
        if (runtime) report("comptime-runtime", e, { name: runtime });
        return t;
      }
      case "IfExpression": {
        condition(e.condition.expression);
        // `if comptime`: bpftrace drops the branch not taken before type checking. bt-lint follows a
        // condition it can evaluate (`comptime true`) and skips both branches of one it cannot (`is_scalar(@m)`).
        if (e.condition.comptime || unwrap(e.condition.expression).type === "ComptimeExpression") {
          const runtime = e.condition.comptime ? runtimeValueIn(e.condition.expression) : undefined;
          if (runtime) report("comptime-runtime", e.condition.expression, { name: runtime });
          const taken = constantTruth(e.condition.expression);
          if (taken === true) return block(e.consequent);
          if (taken === false && e.alternate) return e.alternate.type === "Block" ? block(e.alternate) : typeOfExpr(e.alternate);
          return UNKNOWN;
        }
        const a = block(e.consequent);
        const b = e.alternate ? (e.alternate.type === "Block" ? block(e.alternate) : typeOfExpr(e.alternate)) : VOID;
        const valueOf = (x: Block | Expression | undefined) => (x?.type === "Block" ? x.result : x);
        const unified = e.alternate ? unifyBranches(a, valueOf(e.consequent), b, valueOf(e.alternate)) : undefined;
        return unified ?? (e.alternate && assignable(a, b) ? a : e.alternate ? UNKNOWN : VOID);
      }
      case "Block":
        return block(e);
    }
  }

  const queriesChecked = new Set<Node>();
  const compoundOnlyMaps = new Set<string>();
  /** Maps of integers whose type is the promotion of all their values (pass 1), fixed for pass 2. */
  const promotedMaps = new Set<string>();
  /** The first variable or map a `comptime` operand reads at run time (type queries and calls are not looked into). */
  function runtimeValueIn(e: Expression): string | undefined {
    let found: string | undefined;
    walk(e, (n) => {
      if (found) return false;
      if (n.type === "SizeofExpression" || n.type === "OffsetofExpression" || n.type === "TypeinfoExpression" || n.type === "TypeofType") return false;
      // Compile-time functions (`is_scalar(@m)`) look at their arguments' types; other calls are not judged.
      if (n.type === "Call") return false;
      if (n.type === "Variable" || n.type === "MapRef") found = n.name;
    });
    return found;
  }

  /** `typeof({ @a = 1; 1 })`: a type query's argument is never run, and bpftrace refuses map assignments in it. */
  function mapAssignmentsIn(arg: Node, query: string): void {
    if (!reporting || queriesChecked.has(arg)) return;
    queriesChecked.add(arg);
    walk(arg, (n) => {
      if (n.type === "Assignment" && (n.target.type === "MapRef" || n.target.type === "MapAccess"))
        report("type-query-map-assignment", n, { query, name: n.target.type === "MapRef" ? n.target.name : n.target.map.name });
    });
  }

  /**
   * The two integer branches of `?:` or an `if` used as a value take one promoted type (0.26+);
   * a branch that does not fit it is implicitly cast (a warning). Undefined when not two exact integers.
   */
  function unifyBranches(a: BtType, an: Expression | undefined, b: BtType, bn: Expression | undefined): BtType | undefined {
    // Tuple branches: each pair of integer elements is unified the same way (the warnings only; the tuple's type stays as before).
    const at = an && unwrap(an), bt = bn && unwrap(bn);
    if (a.k === "tuple" && b.k === "tuple" && at?.type === "TupleExpression" && bt?.type === "TupleExpression" && a.elements.length === b.elements.length) {
      a.elements.forEach((x, i) => unifyBranches(x, at.elements[i], b.elements[i], bt.elements[i]));
      return undefined;
    }
    if (!sizedLiterals || a.k !== "int" || b.k !== "int" || a.inexact || b.inexact || !an || !bn || (a.literal !== undefined && b.literal !== undefined)) return undefined;
    const p = promote(a, b);
    for (const [t, n] of [[a, an], [b, bn]] as const)
      if (t.literal === undefined && !intFitsInto(t, p)) report("implicit-cast", n, { from: typeName(t), to: typeName({ k: "int", signed: p.signed, bits: p.bits }) });
    return { k: "int", signed: p.signed, bits: p.bits };
  }

  const isNumeric = (t: BtType) => t.k === "int" || t.k === "bool" || (t.k === "aggregation" && readsAsInt(t));
  const readsAsInt = (t: BtType) => t.k === "aggregation" && lookup.fn(t.fn)?.readsAs === "int";

  /**
   * `$N` is the parameter's text, typed as bpftrace types it: a decimal or hex number is an
   * integer, other text a string. Unknown when the run's parameters are not known, or for a
   * number with a leading zero that bpftrace may read either way.
   */
  function positionalType(n: number): BtType {
    const params = source.run?.positionalParameters;
    if (!params) return UNKNOWN;
    const text = params[n - 1];
    if (text === undefined || text === "") return UNKNOWN;
    if (/^(?:0|[1-9]\d*|0x[0-9a-f]+)$/i.test(text)) return literalType(BigInt(text), sizedLiterals);
    if (/^0[0-7]+$/.test(text)) return UNKNOWN;
    return { k: "string", size: utf8.encode(text).length + 1 };
  }

  /** `let $x;` with neither a type nor a value, no assignment anywhere, and never given to a call (`find(@m, k, $x)` fills it). */
  function neverTyped(sym: VariableSymbol): boolean {
    const d = sym.declaration;
    if (d.type !== "LetStatement" || d.typeRef || d.value) return false;
    let known = untyped.get(sym);
    if (known === undefined) untyped.set(sym, (known = sym.writes.every((w) => w.statement === d) && !sym.reads.some((r) => model.parentOf(r)?.type === "Call")));
    return known;
  }
  const untyped = new Map<VariableSymbol, boolean>();

  /** A variable written once, with an integer literal, reads as that literal (bpftrace folds it). */
  function constantOf(e: Expression): BtType | undefined {
    if (e.type !== "Variable") return undefined;
    const sym = model.symbolOf(e);
    const only = sym?.writes.length === 1 ? sym.writes[0].value : undefined;
    if (!only) return undefined;
    const t = typeOfExpr(only);
    return t.k === "int" && t.literal !== undefined ? t : undefined;
  }

  /** An expression used as a value: `void` is refused. */
  function valueOf(e: Expression, use: string): BtType {
    const t = typeOfExpr(e);
    if (t.k === "void") {
      report("void-value", e, { use });
      return UNKNOWN;
    }
    aggregationValue(e, t, use);
    return t;
  }

  /** Maps of hist()/lhist()/stats()/tseries() can be printed and cleared, not read as a value. */
  function aggregationValue(e: Expression, t: BtType, use: string): void {
    const x = unwrap(e);
    if (t.k === "aggregation" && !readsAsInt(t) && (x.type === "MapRef" || x.type === "MapAccess"))
      report("aggregation-value", e, { fn: t.fn, use, name: x.type === "MapRef" ? x.name : x.map.name });
  }

  function condition(e: Expression, loop = false): void {
    const t = typeOfExpr(e);
    // A string value has no truth value either in a predicate, `if` or `?:` (not in `while`); a string literal
    // is folded (measured on 0.27; judged from 0.24, the release of bool).
    const stringValue = t.k === "string" && hasBool && !loop && unwrap(e).type !== "StringLiteral";
    if (t.k === "void" || t.k === "stack" || t.k === "tuple" || t.k === "record" || (t.k === "aggregation" && !readsAsInt(t)) || stringValue)
      report("condition-type", e, { type: typeName(t) });
  }

  function binary(op: string, l: Expression, r: Expression, e: Node): BtType {
    const lt = typeOfExpr(l);
    const rt = typeOfExpr(r);
    if (reporting && e.type === "BinaryExpression" && addressSpaces.mixes(e)) report("address-space-mismatch", e);
    for (const [x, t] of [[l, lt], [r, rt]] as const) if (t.k === "void") report("void-value", x, { use: `an operand of \`${op}\`` });
    if (lt.k === "void" || rt.k === "void") return COMPARISON.has(op) || LOGICAL.has(op) ? boolType : UNKNOWN;
    if (LOGICAL.has(op)) return boolType;
    const known = lt.k !== "unknown" && rt.k !== "unknown";
    if (COMPARISON.has(op)) {
    if (COMPARISON.has(op) && lt.k === "pointer" && rt.k === "pointer" && lt.to.k !== "unknown" && rt.to.k !== "unknown" && typeName(lt.to) !== typeName(rt.to))
      report("distinct-pointers", e, { left: typeName(lt.to), right: typeName(rt.to) });
      if (known && (lt.k === "string") !== (rt.k === "string") && (isNumeric(lt) || isNumeric(rt)))
        report("operand-type", e, { operator: op, type: `${typeName(lt)} and ${typeName(rt)}` });
      else if (known && (op !== "==" && op !== "!=") && (lt.k === "array" || rt.k === "array" || lt.k === "tuple" || lt.k === "record"))
        report("operand-type", e, { operator: op, type: `${typeName(lt)} and ${typeName(rt)}` });
      else if (known && (lt.k === "tuple" || lt.k === "array") && lt.k === rt.k && !sameShape(lt, rt))
        report("operand-type", e, { operator: op, type: `${typeName(lt)} and ${typeName(rt)}` });
      // An array compares only with an array; a hist()/lhist()/stats() map value with nothing.
      else if (known && (lt.k === "array") !== (rt.k === "array") && (isNumeric(lt) || isNumeric(rt)))
        report("operand-type", e, { operator: op, type: `${typeName(lt)} and ${typeName(rt)}` });
      else if ((lt.k === "aggregation" && !readsAsInt(lt)) || (rt.k === "aggregation" && !readsAsInt(rt)))
        report("operand-type", e, { operator: op, type: `${typeName(lt)} and ${typeName(rt)}` });
      return boolType;
    }
    if (lt.k === "pointer" || rt.k === "pointer") {
      const ok =
        ((op === "+" || op === "-") && lt.k === "pointer" && isNumeric(rt)) ||
        (op === "+" && rt.k === "pointer" && isNumeric(lt)) ||
        ((op === "&" || op === "|" || op === "^") && (isNumeric(lt) || isNumeric(rt)));
      if (known && !ok) report("operand-type", e, { operator: op, type: `${typeName(lt)} and ${typeName(rt)}` });
      return lt.k === "pointer" ? lt : rt;
    }
    // `str($2 + 1)`: a positional parameter's text plus an offset is an address in it, for str().
    const positionalText = (x: Expression, t: BtType) => unwrap(x).type === "PositionalParam" && t.k === "string";
    if ((op === "+" || op === "-") && (positionalText(l, lt) || positionalText(r, rt))) return UNKNOWN;
    if (known && (!isNumeric(lt) || !isNumeric(rt)) && !(lt.k === "opaque" || rt.k === "opaque")) {
      report("operand-type", e, { operator: op, type: `${typeName(lt)} and ${typeName(rt)}` });
      return UNKNOWN;
    }
    if (lt.k === "int" && rt.k === "int" && sizedLiterals) return integerBinary(op, l, lt, r, rt, e);
    return known ? SOME_INT : UNKNOWN;
  }

  /**
   * bpftrace's (0.26+) arithmetic on integers: a literal takes the other side's sign; equal types
   * give int64 (signed or `-`) or uint64; otherwise `/` and `%` with a signed side warn, and each
   * operand that does not fit the result type is implicitly cast (a warning too).
   */
  function integerBinary(op: string, l: Expression, lt: BtType & { k: "int" }, r: Expression, rt: BtType & { k: "int" }, e: Node): BtType {
    if (lt.inexact || rt.inexact) return SOME_INT;
    // Two literals fold into one (bpftrace's fold_literals pass).
    if (lt.literal !== undefined && rt.literal !== undefined) {
      const v = fold(op, lt.literal, rt.literal);
      return v === undefined ? SOME_INT : literalType(v, sizedLiterals);
    }
    let a = lt;
    let b = rt;
    // A literal takes the other side's sign, unless it is negative.
    if (a.literal !== undefined && b.literal === undefined) a = { ...a, signed: b.signed || a.literal < 0n, literal: undefined };
    else if (b.literal !== undefined && a.literal === undefined) b = { ...b, signed: a.signed || b.literal < 0n, literal: undefined };
    let result: BtType & { k: "int" };
    if (a.signed === b.signed && a.bits === b.bits) {
      result = a.signed || op === "-" ? { k: "int", signed: true, bits: 64 } : { k: "int", signed: false, bits: 64 };
    } else {
      if ((op === "/" || op === "%") && (a.signed || b.signed)) report("signed-division", e, { operator: op });
      result = a.signed || b.signed || op === "-" ? { k: "int", signed: true, bits: 64 } : { k: "int", signed: false, bits: 64 };
    }
    for (const [x, t] of [[l, lt], [r, rt]] as const) {
      if (t.literal === undefined && !intFitsInto(t, result)) report("implicit-cast", x, { from: typeName(t), to: typeName(result) });
    }
    return result;
  }

  function fieldOf(t: BtType, field: string, arrow: boolean, e: Expression): BtType {
    let s = t;
    if (arrow && s.k === "pointer") s = s.to;
    if (s.k === "struct") {
      if (!s.fields) return UNKNOWN;
      const f = s.fields.get(field);
      if (!f) report("unknown-field", e, { type: typeName(s), field });
      return f ?? UNKNOWN;
    }
    if (s.k === "record") {
      const f = s.fields.find((x) => x.name === field);
      if (!f) report("unknown-field", e, { type: typeName(s), field });
      return f?.type ?? UNKNOWN;
    }
    if (s.k === "int" || s.k === "bool" || s.k === "string" || s.k === "void" || s.k === "stack" || s.k === "aggregation" || (s.k === "pointer" && s.to.k === "int"))
      report("field-access", e, { field, type: typeName(t) });
    return UNKNOWN;
  }

  /** `offsetof(struct Foo, a.b)`: each name a field of the struct before it, which must be a struct itself (not a pointer to one). */
  function offsetOf(t: BtType, fields: Identifier[]): void {
    let s = t;
    for (const f of fields) {
      if (s.k !== "struct" || !s.fields) {
        if (s.k !== "unknown" && s.k !== "struct") report("offsetof-field", f, { field: f.name, type: typeName(s) });
        return;
      }
      const next = s.fields.get(f.name);
      if (!next) return void report("unknown-field", f, { type: typeName(s), field: f.name });
      s = next;
    }
  }

  function checkCast(from: BtType, to: BtType, e: Expression): void {
    if (from.k === "unknown" || to.k === "unknown") return;
    const scalar = (t: BtType) => t.k === "int" || t.k === "bool" || t.k === "pointer";
    let ok = true;
    if (to.k === "bool") ok = scalar(from) || from.k === "string" || (from.k === "aggregation" && readsAsInt(from));
    else if (to.k === "int") ok = scalar(from) || (from.k === "aggregation" && readsAsInt(from)) || from.k === "array";
    // A string (and, oddly, a tuple) casts to a pointer in bpftrace 0.27; an array does not.
    else if (to.k === "pointer") ok = scalar(from) || from.k === "string" || from.k === "tuple";
    else if (to.k === "struct") ok = from.k === "struct" && from.name === to.name;
    else if (to.k === "string") ok = from.k === "string" && (to.size === undefined || from.size === undefined || from.size <= to.size);
    else if (to.k === "array") ok = arrayCastFits(from, to);
    else if (to.k === "opaque") {
      const only = (lookup.type(to.name) as { castFrom?: string[] } | undefined)?.castFrom;
      ok = !only || only.some((k) => acceptsKind(k, from));
    }
    if (ok && to.k === "int" && from.k === "array" && from.of.k === "int" && !from.of.inexact && from.length !== undefined)
      ok = from.of.bits * from.length === to.bits;
    if (!ok) report("cast", e, { from: typeName(from), to: typeName(to) });
  }

  /**
   * `(int8[6])"hello"`, `(uint8[4])pid`: an integer or a sized string is reinterpreted as an array
   * of integers or bools of the same size in bytes (an integer literal: of up to 8 bytes); an
   * array only to its own type. Where a size is not known the cast is not judged.
   */
  function arrayCastFits(from: BtType, to: BtType & { k: "array" }): boolean {
    if (from.k === "array") return typeName(from) === typeName(to) || from.of.k === "unknown" || to.of.k === "unknown";
    const element = to.of.k === "int" ? to.of.bits / 8 : to.of.k === "bool" ? 1 : undefined;
    if (to.of.k === "struct" || to.of.k === "string" || to.of.k === "pointer") return !(from.k === "int" || from.k === "string");
    if (element === undefined) return true;
    // `(int32[])x`: the length is the value's size over the element's, which must divide it.
    if (to.length === undefined) return !(from.k === "int" && !from.inexact && from.literal === undefined && (from.bits / 8) % element !== 0);
    if (from.k === "int" && from.literal !== undefined) return element * to.length <= 8;
    const bytes = from.k === "int" && !from.inexact ? from.bits / 8 : from.k === "string" ? from.size : undefined;
    return bytes === undefined || bytes === element * to.length;
  }

  // ---- calls

  function checkCall(call: Call): BtType {
    const name = call.callee.name;
    const f = lookup.fn(name);
    const user = fns.has(name) || model.userCallables.has(name);
    call.args.forEach((a, i) => {
      if (a.type === "TypeofType") return;
      // Map arguments (`print(@m)`, `delete(@m, k)`, `len(@m)`) are the map, not its value.
      if (a.type === "MapRef" && f?.signatures.some((s) => s.args[i]?.kind === "map")) {
        mapUse(a, undefined, true);
        return;
      }
      const t = typeOfExpr(a);
      if (t.k === "void" && !user) report("void-value", a, { use: `an argument of \`${name}()\`` });
    });
    const result = callType(call);
    if (!user && f?.unsafe && source.run?.unsafe === false) report("unsafe-call", call.callee, { fn: name });
    if (!user && f) checkSignatures(call, f);
    if (!user && f) checkArgumentTypes(call, f);
    const cast = (f as { argumentCast?: { type: string; since: string } } | undefined)?.argumentCast;
    const castTo = cast && since(cast.since) ? /^(u?)int(\d+)$/.exec(cast.type) : null;
    const castFrom = castTo && call.args[0] && call.args[0].type !== "TypeofType" ? typeOfExpr(call.args[0]) : undefined;
    if (!user && castTo && castFrom?.k === "int" && !castFrom.inexact && castFrom.literal === undefined && sameType(castFrom, int(castTo[1] === "", Number(castTo[2]))))
      report("unnecessary-cast", stdlibWarningPlace(call), { type: cast!.type });
    const warnsDiscardedSince = (f as { callWarnsDiscardedSince?: string } | undefined)?.callWarnsDiscardedSince;
    if (!user && warnsDiscardedSince && since(warnsDiscardedSince)) report("stdlib-discarded-value", stdlibWarningPlace(call), { fn: name });
    const first = call.args[0];
    // `if comptime` branches are not visited, so a fail() seen here is always compiled
    if (name === "fail" && !user && first?.type === "StringLiteral") report("fail", call, { message: first.value });
    if (name === "getopt" && !user && first?.type === "StringLiteral" && call.args[1]) {
      const d = call.args[1];
      const value = d.type === "StringLiteral" ? d.raw : d.type === "IntegerLiteral" ? (d.value ?? d.raw) : d.type === "BooleanLiteral" ? String(d.value) : undefined;
      const seen = getoptDefaults.get(first.value);
      if (value !== undefined && seen !== undefined && seen !== value) report("getopt-default", d, { name: first.value, before: seen, now: value });
      else if (value !== undefined && seen === undefined) getoptDefaults.set(first.value, value);
    }
    if (name === "str" && !user && first && first.type !== "TypeofType") positionalOffset(unwrap(first));
    if (name === "pton" && !user && first?.type === "StringLiteral" && ipAddressBytes(first.value) === undefined)
      report("argument-value", first, { fn: name, n: 1, problem: `must be an IPv4 or IPv6 address, not "${first.value}"` });
    if (name === "ntop" && !user && f) checkAddressSize(call, f);
    if (name === "print" && !user && first && first.type !== "TypeofType" && unwrap(first).type === "MapAccess") {
      const v = maps.get((unwrap(first) as MapAccess).map.name)?.value;
      const wholeOnly = v?.k === "aggregation" && (lookup.fn(v.fn) as { printsWholeMapOnly?: boolean } | undefined)?.printsWholeMapOnly;
      if (wholeOnly) report("argument-value", first, { fn: name, n: 1, problem: `cannot be one element of a ${(v as { fn: string }).fn}() map: print the whole map` });
    }
    if (name === "print" && call.args.length > 1 && first?.type === "MapRef") {
      const v = maps.get(first.name)?.value;
      if (v?.k === "aggregation" && v.fn === "stats") report("print-stats-arguments", call, { name: first.name });
    }
    return result;
  }

  /**
   * Functions taking maps (`delete`, `has_key`, `clear`…): some form must fit the arguments, a map
   * where it takes a map and `@m[k]` where it takes an element. A form of another release is
   * version-compat's to report. print()'s top and div follow only a whole map.
   */
  function checkSignatures(call: Call, f: language.FunctionInfo): void {
    const kindFits = (spec: language.ArgSpec | undefined, a: Expression | TypeofType) => {
      const x = a.type === "TypeofType" ? a : unwrap(a);
      return spec?.kind === "map" ? x.type === "MapRef" : spec?.kind === "mapKey" ? x.type === "MapAccess" : true;
    };
    const n = call.args.length;
    const fits = (s: language.FunctionSignature) =>
      n >= s.minArgs && n <= s.maxArgs && call.args.every((a, i) => kindFits(s.args[i] ?? (s.args.at(-1)?.variadic ? s.args.at(-1) : undefined), a));
    const { takesMaps, wholeMapOnly } = lookup.signatureKinds(f.name);
    if (takesMaps && !lookup.signatures(f.name, target).some(fits) && !f.signatures.some(fits)) {
      const forms = lookup.signatures(f.name, target).map((s) => `${f.name}(${s.args.map((a) => (a.kind === "map" ? "@map" : a.kind === "mapKey" ? "@map[key]" : a.name)).join(", ")})`);
      report("no-signature", call, { fn: f.name, forms: forms.join(", ") });
      return;
    }
    if (!wholeMapOnly) return;
    const first = call.args[0];
    const wholeMap = first !== undefined && first.type !== "TypeofType" && unwrap(first).type === "MapRef";
    const sig = lookup.signatures(f.name, target).find((s) => n >= s.minArgs && n <= s.maxArgs);
    const extra = sig?.args.findIndex((a, i) => i < n && (a as { wholeMapOnly?: boolean }).wholeMapOnly);
    if (!wholeMap && extra !== undefined && extra >= 0)
      report("no-signature", call, { fn: f.name, forms: `${f.name}(value) of one value, ${f.name}(@map, ${sig!.args.slice(1).map((a) => a.name).join(", ")}) of a whole map` });
  }

  /** Argument types bpftrace checks (its CALL_ARG_TYPE_SPEC and per-function checks), as the data describes them. */
  function checkArgumentTypes(call: Call, f: language.FunctionInfo): void {
    // The one signature of this release that takes this many arguments (delete() has several).
    const sigs = lookup.signatures(f.name, target).filter((s) => call.args.length >= s.minArgs && call.args.length <= s.maxArgs);
    if (sigs.length !== 1) return;
    // `buf("hello")`: the length may be left out only after an array, whose size it is.
    const lengthAt = sigs[0].args.findIndex((a) => (a as { requiredUnlessArray?: boolean }).requiredUnlessArray);
    const first = call.args[0];
    if (lengthAt >= 0 && call.args.length <= lengthAt && first && first.type !== "TypeofType") {
      const t = typeOfExpr(first);
      if (t.k !== "unknown" && t.k !== "array") report("argument-value", call, { fn: f.name, n: lengthAt + 1, problem: `(the length) must be given: ${typeName(t)} is not an array, whose size it would be` });
    }
    sigs[0].args.forEach((spec, i) => {
      const a = call.args[i];
      if (!a || a.type === "TypeofType") return;
      if (spec.keyedMap && a.type === "MapRef" && maps.get(a.name)?.keys === "scalar") {
        report("scalar-map-call", a, { fn: f.name, name: a.name });
        return;
      }
      if (spec.keyOf !== undefined) {
        const m = call.args[spec.keyOf];
        const keys = m?.type === "MapRef" ? maps.get(m.name)?.keys : undefined;
        if (keys && keys !== "scalar") {
          const t = typeOfExpr(a);
          const given = t.k === "tuple" ? t.elements : [t];
          if (given.length !== keys.length || !keys.every((k, j) => assignable(k, given[j])))
            report("map-key-type", a, { name: (m as MapRef).name, now: given.map(typeName).join(", "), before: keys.map(typeName).join(", ") });
        }
      }
      const t = typeOfExpr(a);
      if (spec.values && a.type === "StringLiteral" && !spec.values.includes(a.value)) {
        report("argument-value", a, { fn: f.name, n: i + 1, problem: `must be one of ${spec.values.join(", ")}, not "${a.value}"` });
        return;
      }
      if (spec.min !== undefined && t.k === "int" && t.literal !== undefined && t.literal < BigInt(spec.min)) {
        report("argument-range", a, { fn: f.name, n: i + 1, min: spec.min, value: String(t.literal) });
        return;
      }
      const max = (spec as { max?: number }).max;
      if (max !== undefined && t.k === "int" && t.literal !== undefined && t.literal > BigInt(max)) {
        report("argument-value", a, { fn: f.name, n: i + 1, problem: `must be at most ${max}, not ${t.literal}` });
        return;
      }
      const refused = (spec as { refusedValues?: string[] }).refusedValues;
      const x = unwrap(a);
      const written = x.type === "Call" ? `${x.callee.name}(${x.args.map((y) => (y.type === "Identifier" || y.type === "Builtin" ? y.name : "…")).join(", ")})` : undefined;
      if (refused && written && refused.includes(written)) {
        report("argument-value", a, { fn: f.name, n: i + 1, problem: `cannot be \`${written}\`` });
        return;
      }
      if ((spec as { notMapElement?: boolean }).notMapElement && unwrap(a).type === "MapAccess") {
        report("argument-value", a, { fn: f.name, n: i + 1, problem: "must be a whole map (`@m`) or a stack, not one element of a map" });
        return;
      }
      if (!spec.accepts && !spec.literal) return;
      if (t.k === "unknown" && !spec.literal) return;
      const literal =
        a.type === "StringLiteral" ||
        a.type === "IntegerLiteral" ||
        a.type === "BooleanLiteral" ||
        a.type === "PositionalParam" || // bpftrace substitutes the parameter's text before checking

        (a.type === "UnaryExpression" && a.operand.type === "IntegerLiteral") ||
        // `str($1)` is the parameter's text, known before the program is compiled
        (a.type === "Call" && a.callee.name === "str" && a.args[0]?.type === "PositionalParam");
      const fits = !spec.accepts || t.k === "unknown" || spec.accepts.some((k) => acceptsKind(k, t));
      if (!fits || (spec.literal && !literal)) {
        report("argument-type", a, {
          fn: f.name,
          n: i + 1,
          expected: `${spec.literal ? "a literal" : ""}${spec.literal && spec.accepts ? " " : ""}${spec.accepts?.join(" or ") ?? ""}`,
          type: typeName(t),
        });
      }
    });
  }

  /** `ntop(addr)`, `ntop(af, addr)`: a string or array address must have one of the sizes the data lists (4 or 16 bytes); integers are converted. */
  function checkAddressSize(call: Call, f: language.FunctionInfo): void {
    const addr = call.args[call.args.length - 1];
    const sizes = (f.signatures[0]?.args.at(-1) as { byteSizes?: number[] } | undefined)?.byteSizes;
    if (!addr || addr.type === "TypeofType" || !sizes) return;
    const bytes = byteSize(typeOfExpr(addr));
    if (bytes !== undefined && !sizes.includes(bytes))
      report("argument-value", addr, { fn: f.name, n: call.args.length, problem: `must be ${sizes.join(" or ")} bytes long, not ${bytes} (${typeName(typeOfExpr(addr))})` });
  }

  function acceptsKind(kind: string, t: BtType): boolean {
    switch (kind) {
      case "integer":
        return t.k === "int" || t.k === "bool" || (t.k === "aggregation" && readsAsInt(t));
      case "pointer":
        return t.k === "pointer";
      case "string":
        return t.k === "string";
      case "array":
        return t.k === "array";
      case "struct":
        return t.k === "struct";
      default:
        return true;
    }
  }

  /** `pid(curr_ns)`, `nsecs(boot)`: at most maxArgs arguments; a bare word must be one the builtin knows. */
  function checkBuiltinCall(call: Call, spec: NonNullable<language.BuiltinInfo["call"]>): void {
    if (call.args.length > spec.maxArgs) report("builtin-arguments", call, { fn: call.callee.name, problem: `takes at most ${spec.maxArgs} argument${spec.maxArgs === 1 ? "" : "s"}` });
    call.args.forEach((a, i) => {
      const values = spec.args?.[i]?.values;
      if (values && spec.args?.[i]?.kind === "ident" && (a.type === "Identifier" || a.type === "Builtin") && !values.includes(a.name))
        report("builtin-arguments", a, { fn: call.callee.name, problem: `takes one of ${values.join(", ")}, not \`${a.name}\`` });
      else if (values && spec.args?.[i]?.kind === "ident" && (a.type === "IntegerLiteral" || a.type === "StringLiteral" || a.type === "BooleanLiteral"))
        report("builtin-arguments", a, { fn: call.callee.name, problem: `takes one of the words ${values.join(", ")}` });
    });
  }

  /** `kstack(limit)`, `kstack(mode)`, `kstack(mode, limit)`: a bare mode word, then an integer literal. */
  function checkStackArguments(call: Call, modes: string[]): void {
    const [first, second] = call.args;
    const isWord = (a: Expression | TypeofType) => a.type === "Identifier" || a.type === "Builtin";
    // `$1` holds a number when the program is run with one
    const isLimit = (a: Expression | TypeofType) => a.type === "IntegerLiteral" || (a.type === "PositionalParam" && typeOfExpr(a).k !== "string");
    if (!first) return;
    if (second !== undefined && !isWord(first)) report("stack-mode", first, { fn: call.callee.name, modes: modes.join(", ") });
    else if (isWord(first) && modes.length > 0 && !modes.includes((first as { name: string }).name))
      report("stack-mode", first, { fn: call.callee.name, modes: modes.join(", ") });
    const limit = second ?? (isWord(first) ? undefined : first);
    if (limit && !isLimit(limit)) report("stack-limit", limit, { fn: call.callee.name });
  }

  // ---- maps

  /** `@m[a, b]` and `@m[(a, b)]` are the same key. */
  function keyTypes(access: MapAccess | undefined): BtType[] | "scalar" {
    if (!access) return "scalar";
    const keys = access.keys.map((k) => valueOf(k, "a map key"));
    return keys.length === 1 && keys[0].k === "tuple" ? keys[0].elements : keys;
  }

  function checkKeys(ref: MapRef, access: MapAccess | undefined, isDelete = false): void {
    const state = mapState(ref.name);
    const keys = keyTypes(access);
    // Integer keys are promoted to one type per map, as values are: one that does not fit is cast (a warning).
    if (sizedLiterals && keys !== "scalar" && access && access.keys.length === keys.length)
      for (let i = 0; i < keys.length; i++) storeInt(keySlot(ref.name, i), keys[i], access.keys[i]);
    if (state.keys === undefined) {
      state.keys = keys;
      return;
    }
    if ((state.keys === "scalar") !== (keys === "scalar")) {
      if (!isDelete) report("map-scalar-and-keyed", access ?? ref, { name: ref.name, now: keys === "scalar" ? "without keys" : "with keys", before: state.keys === "scalar" ? "without keys" : "with keys" });
      return;
    }
    if (keys === "scalar" || state.keys === "scalar") return;
    const held = state.keys;
    // Integer keys of any size and sign share a map, except a literal beyond int64 in a map keyed by a negative literal (int64).
    const tooLarge = (h: BtType, k: BtType) => h.k === "int" && h.literal !== undefined && h.literal < 0n && k.k === "int" && k.literal !== undefined && k.literal > INT64_MAX;
    const same = held.length === keys.length ? held.every((h, i) => assignable(h, keys[i]) && !tooLarge(h, keys[i])) : false;
    if (!same) report("map-key-type", access!, { name: ref.name, now: keys.map(typeName).join(", "), before: held.map(typeName).join(", ") });
    else held.forEach((h, i) => (held[i] = widen(h, keys[i])));
  }

  const mapState = (name: string): MapState => {
    let s = maps.get(name);
    if (!s) maps.set(name, (s = {}));
    return s;
  };

  /** A read of `@m` or `@m[k]` (also `print(@m)`, `has_key(@m, k)` when `whole`). */
  function mapUse(ref: MapRef, access: MapAccess | undefined, whole = false): void {
    if (whole) return;
    const parent = model.parentOf(access ?? ref);
    // The map itself, not a value: `print(@m)`, `&@m`, `typeof(@m)`, `sizeof(@m)`; but a map given as a key (`delete(@a, @a)`) is read as a value.
    if (!access && ((parent?.type === "Call" && !isKeyArgument(parent, ref)) || parent?.type === "TypeofType" || parent?.type === "SizeofExpression" || parent?.type === "OffsetofExpression" || parent?.type === "TypeinfoExpression" || (parent?.type === "UnaryExpression" && parent.operator === "&")))
      return;
    if (parent?.type === "Assignment" && parent.target === (access ?? ref)) return; // handled as a write
    if (parent?.type === "UpdateExpression") return;
    checkKeys(ref, access);
  }

  /** Whether `arg` is given where the function takes a key of another argument's map (`delete(@m, key)`). */
  function isKeyArgument(call: Call, arg: Expression): boolean {
    const i = call.args.indexOf(arg);
    if (model.userCallables.has(call.callee.name)) return false;
    return lookup.signatures(call.callee.name, target).some((s) => call.args.length >= s.minArgs && call.args.length <= s.maxArgs && s.args[i]?.keyOf !== undefined);
  }

  function mapWrite(ref: MapRef, access: MapAccess | undefined, value: BtType, at: Node, valueNode?: Node): void {
    checkKeys(ref, access);
    const state = mapState(ref.name);
    if (value.k === "void") {
      report("void-value", valueNode ?? at, { use: `the value of \`${ref.name}\`` });
      return;
    }
    if (state.unchecked) return;
    if (state.value === undefined) {
      state.value = stored(value);
      if (value.k === "unknown") state.unchecked = true;
      return;
    }
    const held = state.value;
    if (held.k === "aggregation" && value.k === "aggregation" && held.fn === value.fn) {
      if (held.bits !== undefined && value.bits !== undefined && held.bits !== value.bits) report("hist-bits", valueNode ?? at, { name: ref.name, before: held.bits, now: value.bits });
      if (held.bounds !== undefined && value.bounds !== undefined && held.bounds !== value.bounds) report("lhist-bounds", valueNode ?? at, { name: ref.name, before: held.bounds, now: value.bounds });
      return;
    }
    if (!assignable(held, value)) report("map-value-type", valueNode ?? at, { name: ref.name, held: typeName(held), value: typeName(value) });
    else if (!(promotedMaps.has(ref.name) && value.k === "int")) state.value = widen(held, value);
  }

  // ---- statements

  function statement(s: Statement): void {
    switch (s.type) {
      case "ExpressionStatement": {
        discardResults(s.expression);
        discarded(s.expression, typeOfExpr(s.expression), s);
        return;
      }
      case "Assignment":
        return assignment(s);
      case "LetStatement": {
        const sym = model.symbolOf(s.variable);
        const declared = s.typeRef ? typeRef(s.typeRef) : undefined;
        const kind = s.typeRef?.type === "NamedType" && s.typeRef.suffixes.length === 0 ? lookup.type(s.typeRef.name)?.kind : undefined;
        if (kind === "aggregation" || kind === "void") report("declaration-type", s.typeRef!, { name: s.variable.name, type: (s.typeRef as NamedType).name });
        if (s.value) {
          const v = valueOf(s.value, `the value of \`${s.variable.name}\``);
          if (sym) noteWrite(sym, v);
          if (declared && !fitsDeclared(declared, v)) report("declared-type", s.value, { name: s.variable.name, held: typeName(declared), value: typeName(v) });
          if (sym) varTypes.set(sym, { type: declared ?? stored(v), declared: declared !== undefined });
          else noteMacroVariable(s.variable.name, declared ?? v);
        } else if (sym && declared) varTypes.set(sym, { type: declared, declared: true });
        return;
      }
      case "DiscardStatement":
        typeOfExpr(s.value);
        return;
      case "WhileStatement":
        condition(s.condition.expression, true);
        discardedBlocks.add(s.body);
        anyLoopDepth++;
        block(s.body);
        anyLoopDepth--;
        return;
      case "BreakStatement":
      case "ContinueStatement":
        if (anyLoopDepth === 0) report("jump-outside-loop", s, { jump: s.type === "BreakStatement" ? "break" : "continue" });
        return;
      case "UnrollStatement": {
        const c = typeOfExpr(s.count.expression);
        if (c.k === "int" && c.literal !== undefined && (c.literal > 100n || c.literal < 1n))
          report("unroll-count", s.count.expression, { value: String(c.literal), bound: c.literal > 100n ? "at most 100" : "at least 1" });
        discardedBlocks.add(s.body);
        block(s.body);
        return;
      }
      case "ForStatement": {
        const sym = model.symbolOf(s.variable);
        if (s.iterable.type === "RangeExpression") {
          const a = valueOf(s.iterable.start, "a range bound");
          const b = valueOf(s.iterable.end, "a range bound");
          for (const [x, t] of [[s.iterable.start, a], [s.iterable.end, b]] as const)
            if (t.k !== "unknown" && t.k !== "int") report("operand-type", x, { operator: "..", type: typeName(t) });
          if (sym) varTypes.set(sym, { type: a.k === "int" ? a : UNKNOWN, declared: false });
        } else {
          const st = maps.get(s.iterable.name);
          const keys = st?.keys;
          if (keys === "scalar") report("scalar-map-loop", s.iterable, { name: s.iterable.name });
          if (st?.value) aggregationValue(s.iterable, st.value, "a loop value");
          if (sym) {
            const key: BtType = keys === undefined || keys === "scalar" ? UNKNOWN : keys.length === 1 ? keys[0] : { k: "tuple", elements: keys };
            varTypes.set(sym, { type: { k: "tuple", elements: [key, st?.value ?? UNKNOWN] }, declared: false });
          }
        }
        loopDepth++;
        anyLoopDepth++;
        discardedBlocks.add(s.body);
        block(s.body);
        anyLoopDepth--;
        loopDepth--;
        return;
      }
      case "ReturnStatement": {
        const v = s.value ? typeOfExpr(s.value) : VOID;
        if (!currentFn && s.value && v.k !== "unknown" && v.k !== "int" && v.k !== "bool")
          report("probe-return", s.value, { value: typeName(v) });
        if (currentFn) {
          const declared = typeRef(currentFn.returnType);
          if (declared.k !== "unknown" && v.k !== "unknown" && !fitsDeclared(declared, v) && !(declared.k === "int" && v.k === "int" && v.literal === undefined))
            report("return-type", s.value ?? s, { fn: currentFn.name.name, held: typeName(declared), value: typeName(v) });
        }
        return;
      }
      default:
        return;
    }
  }

  function assignment(s: Assignment): void {
    const target = s.target;
    if (target.type === "Variable") {
      const sym = model.symbolOf(target);
      const v = typeOfExpr(s.value);
      if (s.operator !== "=") {
        binary(s.operator.slice(0, -1), target, s.value, s);
        compoundDivision(s, typeOfExpr(target));
        return;
      }
      if (v.k === "void") {
        report("void-value", s.value, { use: `the value of \`${target.name}\`` });
        return;
      }
      aggregationValue(s.value, v, `the value of \`${target.name}\``);
      if (!sym) return noteMacroVariable(target.name, v);
      noteWrite(sym, v);
      const held = varTypes.get(sym);
      if (!held) {
        varTypes.set(sym, { type: stored(v), declared: false, ...(v.k === "int" && v.literal !== undefined && v.literal < 0n ? { fromNegativeLiteral: true } : {}) });
        return;
      }
      // A variable first given a negative literal is an int64: a literal beyond int64 does not fit.
      const tooLarge = !held.declared && held.fromNegativeLiteral === true && v.k === "int" && v.literal !== undefined && v.literal > INT64_MAX;
      const ok = !tooLarge && (held.declared ? fitsDeclared(held.type, v) : assignable(held.type, v));
      if (!ok) report(held.declared ? "declared-type" : "variable-type", s.value, { name: target.name, held: typeName(held.type), value: typeName(v) });
      else if (!held.declared) held.type = widen(held.type, v);
      return;
    }
    const ref = target.type === "MapRef" ? target : target.map;
    const access = target.type === "MapAccess" ? target : undefined;
    if (access) for (const k of access.keys) typeOfExpr(k);
    const v = typeOfExpr(s.value);
    if (s.operator !== "=") {
      const held = binary(s.operator.slice(0, -1), target, s.value, s);
      // A map given values only by `op=` starts as an int64.
      compoundDivision(s, compoundOnlyMaps.has(ref.name) ? INT64 : (maps.get(ref.name)?.value ?? INT64));
      mapWrite(ref, access, v.k === "void" ? v : held.k === "pointer" ? held : SOME_INT, s, s.value);
      return;
    }
    // Reading an aggregation map gives its value only where the target already holds an integer.
    const source = unwrap(s.value);
    if (v.k === "aggregation" && (source.type === "MapRef" || source.type === "MapAccess")) {
      const held = maps.get(ref.name)?.value;
      if (!held || held.k !== "int" || !readsAsInt(v)) {
        report("aggregation-copy", s.value, { type: typeName(v), name: ref.name });
        checkKeys(ref, access);
        return;
      }
      mapWrite(ref, access, held, s, s.value);
      return;
    }
    if (v.k !== "aggregation") storeInt(ref.name, v, s.value);
    // Each integer element of a tuple or record value is promoted on its own.
    const elements = v.k === "tuple" ? v.elements : v.k === "record" ? v.fields.map((f) => f.type) : [];
    const literal = unwrap(s.value);
    elements.forEach((t, i) => {
      const node = literal.type === "TupleExpression" ? literal.elements[i] : literal.type === "RecordExpression" ? literal.fields[i].value : s.value;
      storeInt(keySlot(`${ref.name}\0value`, i), t, node);
    });
    mapWrite(ref, access, v, s, s.value);
  }

  /** `$x /= n`, `@m %= n`: bpftrace warns about a signed target whatever the operand (unlike `$x / n`). */
  function compoundDivision(s: Assignment, held: BtType): void {
    const op = s.operator.slice(0, -1);
    if (sizedLiterals && (op === "/" || op === "%") && held.k === "int" && held.signed && !held.inexact && !problems.some((p) => p.code === "signed-division" && p.node === s))
      report("signed-division", s, { operator: op });
  }

  const unwrap = (e: Expression): Expression => (e.type === "Parenthesized" ? unwrap(e.expression) : e);

  /** Blocks whose trailing expression is thrown away: probe bodies, loop bodies, branches of an `if` statement. */
  const discardedBlocks = new Set<Block>();
  function discardResults(x: Expression | Block): void {
    if (x.type === "Block") discardedBlocks.add(x);
    else if (x.type === "IfExpression") {
      discardedBlocks.add(x.consequent);
      if (x.alternate) discardResults(x.alternate);
    }
  }

  /**
   * Where bpftrace places a warning from inside a standard-library macro expanded at `call`: at the
   * call, but in a probe bpftrace copies per attach point (several, or a wildcard) at the probe's
   * predicate, else its body (measured on 0.27: `kprobe:f, kprobe:func_1 /1/ { … strerror(1) … }`).
   */
  function stdlibWarningPlace(call: Call): Node {
    const p = currentProbe;
    const copied = p !== undefined && (p.attachPoints.length > 1 || p.attachPoints.some((ap) => /[*?]/.test(ap.raw)));
    return copied ? (p.predicate ?? p.body) : call;
  }

  /** `str($N + k)` with k at or past the end of the run's text for `$N`: the string is always empty (measured on 0.27 with "123" and "hello"). */
  function positionalOffset(e: Expression): void {
    if (e.type !== "BinaryExpression" || e.operator !== "+" || e.left.type !== "PositionalParam" || e.right.type !== "IntegerLiteral" || e.right.value === undefined) return;
    const text = source.run?.positionalParameters?.[e.left.index - 1];
    if (!text) return;
    const length = utf8.encode(text).length;
    if (BigInt(e.right.value) >= BigInt(length)) report("positional-offset-past-end", e.left, { n: e.left.index, offset: e.right.value, length });
  }

  /** A value computed and thrown away (bpftrace: "Return value discarded."). */
  function discarded(x: Expression, t: BtType, at: Node): void {
    // An unknown type is a value too where the expression reads one (`retval`, `p->field`); calls of unknown type may give none.
    const readsValue =
      x.type === "Builtin" || x.type === "FieldAccess" || x.type === "IndexExpression" || (x.type === "Identifier" && lookup.builtin(x.name.replace(/^__builtin_/, ""), target) !== undefined);
    const quiet = x.type === "UpdateExpression" || x.type === "IfExpression" || x.type === "Block" || t.k === "void" || (t.k === "unknown" && !readsValue);
    if (!quiet) report("discarded-value", at, { type: typeName(t) });
  }

  function block(b: Block): BtType {
    let ended = false;
    const last = b.statements[b.statements.length - 1];
    // A trailing `if … { } else { }` without `;` is the value of a block whose value is used.
    const valueIf = !b.result && !discardedBlocks.has(b) && last?.type === "ExpressionStatement" && !last.semicolon && last.expression.type === "IfExpression" ? last.expression : undefined;
    for (const s of b.statements) {
      if (ended) {
        report("unreachable", s);
        ended = false; // bpftrace warns once, on the first unreachable statement
      }
      if (valueIf && s === last) return typeOfExpr(valueIf);
      statement(s);
      if (jumps(s)) ended = true;
    }
    if (!b.result) return VOID;
    if (ended) report("unreachable", b.result);
    if (discardedBlocks.has(b)) discardResults(b.result);
    const t = typeOfExpr(b.result);
    if (discardedBlocks.has(b)) discarded(b.result, t, b.result);
    return t;
  }

  function owner(o: Probe | FnDef): void {
    currentFn = o.type === "FnDef" ? o : undefined;
    currentProbe = o.type === "Probe" ? o : undefined;
    if (o.type === "FnDef") {
      for (const p of o.params) {
        const sym = model.symbolOf(p.variable);
        if (sym) varTypes.set(sym, { type: typeRef(p.typeRef), declared: true });
      }
    }
    if (o.type === "Probe" && o.predicate) condition(o.predicate.expression);
    if (o.type === "Probe") discardedBlocks.add(o.body);
    block(o.body);
    if (o.type === "FnDef" && typeRef(o.returnType).k !== "void" && typeRef(o.returnType).k !== "unknown" && !alwaysReturns(o.body))
      report("missing-return", o.name, { fn: o.name.name, type: typeName(typeRef(o.returnType)) });
  }

  // Pass 1 learns every map's types (a map may be read in a probe before the one that writes it);
  // pass 2 reports, with each map's type fixed by its first assignment in source order.
  const run = () => {
    varTypes.clear();
    for (const t of model.program.body) if (t.type === "Probe" || t.type === "FnDef") owner(t);
  };
  run();
  const learned = new Map([...maps].map(([k, v]) => [k, { ...v }]));
  for (const k of learned.keys()) if (startsCompound(k)) compoundOnlyMaps.add(k);
  maps.clear();
  for (const [k, v] of learned) {
    if (!v.value) continue;
    const first = firstWrite(k);
    // A map whose first value has a type bt-lint cannot know is never checked.
    maps.set(k, first === undefined ? { value: v.value } : first.k === "unknown" ? { value: UNKNOWN, unchecked: true } : { value: stored(first) });
    // A map of integers holds the type promoted from all its values (`@s[0] = 0; @s[tid] = nsecs;` holds uint64).
    const int = promoted.get(k);
    if (int && int.literal === undefined && first?.k === "int") {
      maps.set(k, { value: { k: "int", signed: int.signed, bits: int.bits } });
      promotedMaps.add(k);
    }
  }
  reporting = true;
  problems = [];
  types.clear();
  run();
  checkMapDeclarations();

  /** `let @m = kind(n);`: a known kind, per-CPU exactly when the map holds aggregations. */
  function checkMapDeclarations(): void {
    for (const t of model.program.body) {
      if (t.type !== "MapDecl") continue;
      const kind = language.MAP_KINDS.find((k) => k.name === t.kind.name);
      if (!kind) {
        report("map-decl-kind", t.kind, { name: t.map.name, problem: `\`${t.kind.name}\` is not a map kind (${language.MAP_KINDS.map((k) => k.name).join(", ")})` });
        continue;
      }
      const value = maps.get(t.map.name)?.value;
      if (!value || value.k === "unknown" || kind.perCpu === undefined) continue;
      const aggregation = value.k === "aggregation";
      if (aggregation !== kind.perCpu)
        report("map-decl-kind", t.kind, {
          name: t.map.name,
          problem: `it holds ${aggregation ? "an aggregation, which needs a per-CPU map" : "plain values, which need a map that is not per-CPU"}: declare it \`${kind.sameKindPerCpu}\``,
        });
    }
  }

  /** Maps whose first write is `@m op= v` (or `@m++`): no value of their own to type them. */
  function startsCompound(name: string): boolean {
    const first = model.maps.get(name)?.uses.find((u) => u.kind === "write");
    return first !== undefined && (first.assignment?.operator !== "=" || !first.value);
  }

  /** The type of the first write to a map in source order (unknown for a copy of an aggregation map), if any. */
  function firstWrite(name: string): BtType | undefined {
    for (const u of model.maps.get(name)?.uses ?? []) {
      if (u.kind !== "write") continue;
      if (u.assignment?.operator !== "=" || !u.value) return SOME_INT;
      const t = types.get(u.value) ?? UNKNOWN;
      if (t.k === "void") continue;
      return t.k === "aggregation" && ["MapRef", "MapAccess"].includes(unwrap(u.value).type) ? UNKNOWN : t;
    }
    return undefined;
  }

  return {
    typeOf: (e) => types.get(e) ?? UNKNOWN,
    mapValueType: (name) => maps.get(name)?.value,
    variableType: (sym) => varTypes.get(sym)?.type,
    problems,
  };
}

/** The bytes of an address literal as bpftrace's pton() reads it (a dot means IPv4, dotted decimal without leading zeros), or undefined when it is not one. */
function ipAddressBytes(text: string): number | undefined {
  if (text.includes(".")) return /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?!$)|$)){4}$/.test(text) ? 4 : undefined;
  return isIPv6(text) ? 16 : undefined;
}

/** The size in bytes of a value with a known fixed size (sized strings, arrays of sized integers). */
function byteSize(t: BtType): number | undefined {
  if (t.k === "string") return t.size;
  if (t.k === "array" && t.length !== undefined && t.of.k === "int" && !t.of.inexact) return (t.length * t.of.bits) / 8;
  return undefined;
}

/** The truth of a condition bt-lint can evaluate without running the program (`comptime true`, `!0`). */
function constantTruth(e: Expression): boolean | undefined {
  switch (e.type) {
    case "ComptimeExpression":
      return constantTruth(e.operand);
    case "Parenthesized":
      return constantTruth(e.expression);
    case "BooleanLiteral":
      return e.value;
    case "IntegerLiteral":
      return e.value === undefined ? undefined : BigInt(e.value) !== 0n;
    case "UnaryExpression": {
      const v = e.operator === "!" ? constantTruth(e.operand) : undefined;
      return v === undefined ? undefined : !v;
    }
    default:
      return undefined;
  }
}

function fold(op: string, a: bigint, b: bigint): bigint | undefined {
  switch (op) {
    case "+": return a + b;
    case "-": return a - b;
    case "*": return a * b;
    case "/": return b === 0n ? undefined : a / b;
    case "%": return b === 0n ? undefined : a % b;
    case "<<": return b >= 0n && b < 64n ? a << b : undefined;
    case ">>": return b >= 0n && b < 64n ? a >> b : undefined;
    case "&": return a & b;
    case "|": return a | b;
    case "^": return a ^ b;
    default: return undefined;
  }
}

/** A statement after which the rest of its block never runs. */
function jumps(s: Statement): boolean {
  if (s.type === "ReturnStatement" || s.type === "BreakStatement" || s.type === "ContinueStatement") return true;
  if (s.type === "ExpressionStatement" && s.expression.type === "Call" && s.expression.callee.name === "exit") return true;
  if (s.type === "ExpressionStatement" && s.expression.type === "IfExpression") return ifJumps(s.expression);
  return false;
}

function ifJumps(e: import("@bt/parser").IfExpression): boolean {
  if (!e.alternate) return false;
  const blockJumps = (b: Block) => b.statements.some(jumps);
  return blockJumps(e.consequent) && (e.alternate.type === "Block" ? blockJumps(e.alternate) : ifJumps(e.alternate));
}

/** Whether every path through a block ends in `return` (an `if` counts when both branches do). */
function alwaysReturns(b: Block): boolean {
  if (b.result && b.result.type === "IfExpression") return ifReturns(b.result);
  return b.statements.some(
    (s) => s.type === "ReturnStatement" || (s.type === "ExpressionStatement" && s.expression.type === "IfExpression" && ifReturns(s.expression)),
  );
}

function ifReturns(e: import("@bt/parser").IfExpression): boolean {
  if (!e.alternate) return false;
  return alwaysReturns(e.consequent) && (e.alternate.type === "Block" ? alwaysReturns(e.alternate) : ifReturns(e.alternate));
}

/** Tuples and arrays compare only with the same shape: as many elements, of the same types. */
function sameShape(a: BtType, b: BtType): boolean {
  if (a.k === "tuple" && b.k === "tuple") return a.elements.length === b.elements.length && a.elements.every((x, i) => sameShape(x, b.elements[i]));
  if (a.k === "array" && b.k === "array") {
    const sameLength = a.length === undefined || b.length === undefined || a.length === b.length;
    // array elements compare byte by byte: integers of one size only
    const sameElements = a.of.k === "int" && b.of.k === "int" ? a.of.inexact || b.of.inexact || a.of.bits === b.of.bits : sameShape(a.of, b.of);
    return sameLength && sameElements;
  }
  if (a.k === "int" && b.k === "int") return true; // integers of any size compare
  return a.k === "unknown" || b.k === "unknown" || a.k === b.k;
}

/** A literal's type once stored in a variable or map: a plain integer, no longer taking the other operand's sign. */
function stored(t: BtType): BtType {
  return t.k === "int" && t.literal !== undefined ? { k: "int", signed: t.signed, bits: t.bits, ...(t.inexact ? { inexact: true as const } : {}) } : t;
}

/** Whether a value fits a declared type (`let $x: uint8 = v`, `fn f(): T`): literals must fit, sizes may not grow. */
function fitsDeclared(declared: BtType, value: BtType): boolean {
  if (value.k === "unknown" || declared.k === "unknown") return true;
  if (declared.k === "int" && value.k === "int") {
    if (value.literal !== undefined) {
      const v = value.literal;
      const bits = BigInt(declared.bits);
      return declared.signed ? v >= -(1n << (bits - 1n)) && v < 1n << (bits - 1n) : v >= 0n && v < 1n << bits;
    }
    return true; // bpftrace casts (and warns about sign changes)
  }
  if (declared.k === "string" && value.k === "string") return declared.size === undefined || value.size === undefined || value.size <= declared.size;
  if (declared.k === "tuple" && value.k === "tuple")
    return declared.elements.length === value.elements.length && declared.elements.every((d, i) => fitsDeclared(d, value.elements[i]));
  return assignable(declared, value);
}

/** The type a variable or map holds after also holding `b`: the larger integer, the longer string. */
function widen(a: BtType, b: BtType): BtType {
  if (a.k === "unknown") return a;
  if (a.k === "int" && b.k === "int") return sameType(a, b) && !b.inexact ? a : { k: "int", signed: a.signed, bits: Math.max(a.bits, b.bits), inexact: true };
  if (a.k === "string" && b.k === "string") return a.size === undefined || b.size === undefined ? { k: "string" } : { k: "string", size: Math.max(a.size, b.size) };
  return a;
}
