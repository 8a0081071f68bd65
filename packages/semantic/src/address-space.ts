/**
 * The address space bpftrace gives a value: `user` for what a `tracepoint:syscalls:*` probe reads
 * from its `args` (and what is read through those), `kernel` for integer literals, `none` where an
 * operator mixed the two. bpftrace warns "Addrspace mismatch" when an integer operator mixes `user`
 * and `kernel` (measured on 0.27: `args.ret == 0`, `$r = args.ret; $r == 0`, `@r = args.ret; @r == 0`,
 * `(int64)args.ret == 0`, `(uint64)args.filename == 0`, `args.rqtp->tv_nsec == 0` warn; `args.ret == args.ret`, `args.filename == 0`
 * (a pointer) and `args.prev_pid == 0` in `sched:sched_switch` do not). Only what is sure is typed:
 * everything else is `undefined` and never warns. Which probes' `args` are user memory is language
 * data (grammar/data/warnings.json, the "Addrspace mismatch" entry).
 */
import type { BinaryExpression, Expression } from "@bt/parser";
import warningsJson from "../../../grammar/data/warnings.json" with { type: "json" };
import { computeLeftSpine } from "./left-spine.ts";
import type { SemanticModel, VariableSymbol } from "./model.ts";

export type AddressSpace = "kernel" | "user" | "none";

interface UserSpaceArgs {
  provider: string;
  category: string;
  integerFields: { eventPrefix: string; field: string }[];
}
const USER_SPACE_ARGS = (warningsJson.warnings as { message: string; userSpaceArgs?: UserSpaceArgs }[]).find((w) => w.userSpaceArgs)?.userSpaceArgs;

/** bpftrace checks address spaces of these operators' operands; `&&`/`||` are left out (not followed here). */
const LOGICAL = new Set(["&&", "||"]);

/** Whether an operator on operands in these spaces warns, and the space of its result (bpftrace's left-first rule). */
export function combineAddressSpaces(left: AddressSpace | undefined, right: AddressSpace | undefined): { mismatch: boolean; result: AddressSpace | undefined } {
  if (left === undefined || right === undefined) return { mismatch: false, result: undefined };
  if (left !== right && left !== "none" && right !== "none") return { mismatch: true, result: "none" };
  return { mismatch: false, result: left !== "none" ? left : right };
}

export interface AddressSpaces {
  /** The address space of a value, where sure. */
  spaceOf(e: Expression): AddressSpace | undefined;
  /** Whether bpftrace warns "Addrspace mismatch" on this operator. */
  mixes(e: BinaryExpression): boolean;
}

/**
 * Address spaces of a program's expressions. `typedInt` says whether the type checker knows an
 * expression is an integer (bpftrace checks no address space on operators with a pointer operand);
 * integer fields named by the language data count too where no type source knows `args`.
 */
export function createAddressSpaces(model: SemanticModel, typedInt: (e: Expression) => boolean): AddressSpaces {
  const spaces = new Map<Expression, AddressSpace | undefined>();
  const ints = new Map<Expression, boolean>();
  const inProgress = new Set<unknown>();

  function guarded<T>(key: unknown, fallback: T, f: () => T): T {
    if (inProgress.has(key)) return fallback;
    inProgress.add(key);
    try {
      return f();
    } finally {
      inProgress.delete(key);
    }
  }

  /** The values a variable is given, if all by plain `=` (`$x += …`, `$x++` are not followed). */
  function variableValues(sym: VariableSymbol): Expression[] | undefined {
    if (sym.declarationKind !== "assignment" || sym.writes.length === 0) return undefined;
    if (sym.writes.some((w) => w.statement.type !== "Assignment" || w.statement.operator !== "=" || !w.value)) return undefined;
    if ([...sym.reads, ...sym.writes.map((w) => w.node)].some((v) => model.parentOf(v)?.type === "UpdateExpression")) return undefined;
    return sym.writes.map((w) => w.value!);
  }

  /** The values a map is given, if all by plain `=`. */
  function mapValues(name: string): Expression[] | undefined {
    const sym = model.maps.get(name);
    if (!sym) return undefined;
    const writes = sym.uses.filter((u) => u.kind === "write" || u.kind === "escape");
    if (writes.length === 0 || writes.some((u) => u.kind !== "write" || u.assignment?.operator !== "=" || !u.value)) return undefined;
    return writes.map((u) => u.value!);
  }

  /** The values a variable or map is given, with what identifies it (its symbol, or the map's name) against cycles. */
  function valuesOf(e: Expression): { key: unknown; values: Expression[] } | undefined {
    if (e.type === "Variable") {
      const sym = model.symbolOf(e);
      const values = sym && variableValues(sym);
      return values && { key: sym, values };
    }
    const name = e.type === "MapRef" ? e.name : e.type === "MapAccess" ? e.map.name : undefined;
    const values = name === undefined ? undefined : mapValues(name);
    return values && { key: name, values };
  }

  /** The attach points of the probe `e` is in, if every one is a `tracepoint` of the user-space category. */
  function userSpaceProbe(e: Expression) {
    if (!USER_SPACE_ARGS) return undefined;
    const aps = model.probeInfoOf(e)?.node.attachPoints ?? [];
    const all = aps.length > 0 && aps.every((ap) => ap.providerCanonical === USER_SPACE_ARGS.provider && ap.category?.value === USER_SPACE_ARGS.category);
    return all ? aps : undefined;
  }

  const isArgs = (e: Expression) => (e.type === "Builtin" || e.type === "Identifier") && e.name === "args";

  /** `args.ret` where every attach point is a `sys_exit_*` event: an integer by the data, whatever the type source knows. */
  function isIntegerField(e: Expression): boolean {
    if (e.type !== "FieldAccess" || !isArgs(e.object)) return false;
    const aps = userSpaceProbe(e);
    const name = e.field.name;
    return !!aps && !!USER_SPACE_ARGS?.integerFields.some((f) => f.field === name && aps.every((ap) => !!ap.func && !ap.func.value.includes("*") && ap.func.value.startsWith(f.eventPrefix)));
  }

  /** Whether `e` is surely an integer. */
  function isInt(e: Expression): boolean {
    const hit = ints.get(e);
    if (hit !== undefined) return hit;
    const r = computeInt(e);
    ints.set(e, r);
    return r;
  }

  function computeInt(e: Expression): boolean {
    if (typedInt(e) || isIntegerField(e)) return true;
    if (e.type === "Parenthesized") return isInt(e.expression);
    const given = valuesOf(e);
    return !!given && guarded(given.key, false, () => given.values.every(isInt));
  }

  /** One space shared by every value, or undefined when any is unknown or they differ. */
  function common(values: Expression[]): AddressSpace | undefined {
    let space: AddressSpace | undefined;
    for (const v of values) {
      const s = spaceOf(v);
      if (s === undefined || (space !== undefined && s !== space)) return undefined;
      space = s;
    }
    return space;
  }

  function compute(e: Expression): AddressSpace | undefined {
    switch (e.type) {
      case "IntegerLiteral":
        return "kernel";
      case "Parenthesized":
        return spaceOf(e.expression);
      case "Builtin":
      case "Identifier":
        return isArgs(e) && userSpaceProbe(e) ? "user" : undefined;
      case "FieldAccess":
        return spaceOf(e.object) === "user" ? "user" : undefined;
      case "UnaryExpression":
        return e.operator === "*" && spaceOf(e.operand) === "user" ? "user" : undefined;
      case "Cast":
        // A cast to an integer keeps the operand's space, a pointer's too (measured: `(uint64)args.filename == 0` warns).
        return isInt(e) ? spaceOf(e.operand) : undefined;
      case "Variable":
      case "MapRef":
      case "MapAccess": {
        const given = valuesOf(e);
        return given && guarded(given.key, undefined, () => common(given.values));
      }
      case "BinaryExpression":
        return binary(e).result;
      default:
        return undefined;
    }
  }

  function binary(e: BinaryExpression): { mismatch: boolean; result: AddressSpace | undefined } {
    if (LOGICAL.has(e.operator) || !isInt(e.left) || !isInt(e.right)) return { mismatch: false, result: undefined };
    return combineAddressSpaces(spaceOf(e.left), spaceOf(e.right));
  }

  function spaceOf(e: Expression): AddressSpace | undefined {
    if (spaces.has(e)) return spaces.get(e);
    computeLeftSpine(e, spaces, compute);
    const s = compute(e);
    spaces.set(e, s);
    return s;
  }

  return { spaceOf, mixes: (e) => binary(e).mismatch };
}
