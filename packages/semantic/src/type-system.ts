/**
 * bpftrace's value types as the type checker models them. `unknown` is a type whose facts
 * live outside the script (kernel BTF, a binary's DWARF, a positional parameter's value): it is
 * compatible with everything, so it never produces a finding.
 */

export type BtType =
  /** `inexact`: an integer whose size and sign bt-lint does not know for sure (no sign or size warnings). */
  | { k: "int"; signed: boolean; bits: number; literal?: bigint; inexact?: true }
  | { k: "bool" }
  | { k: "string"; size?: number }
  | { k: "buffer" }
  | { k: "pointer"; to: BtType }
  | { k: "array"; of: BtType; length?: number }
  | { k: "tuple"; elements: BtType[] }
  | { k: "record"; fields: { name: string; type: BtType }[] }
  /** A C struct or union; `fields` only when the script defines it. */
  | { k: "struct"; tag: "struct" | "union"; name: string; fields?: Map<string, BtType> }
  /** `void`: functions that give no value (`printf()`); `none` in bpftrace for `exit()` and the like. */
  | { k: "void" }
  /** A map aggregation (`count()`, `hist(x, 2)`); `bits` for hist, `bounds` (min, max, step) for lhist. */
  | { k: "aggregation"; fn: string; bits?: number; bounds?: string }
  | { k: "stack"; user: boolean; mode?: string; limit?: number }
  /** Other opaque bpftrace types (`ksym_t`, `usym_t`, `inet`, `timestamp`, `username_t`, …). */
  | { k: "opaque"; name: string }
  | { k: "unknown" };

export const UNKNOWN: BtType = { k: "unknown" };
export const VOID: BtType = { k: "void" };
export const BOOL: BtType = { k: "bool" };
export const UINT64: BtType = { k: "int", signed: false, bits: 64 };
/** An integer of a size and sign bt-lint does not know. */
export const SOME_INT: BtType = { k: "int", signed: false, bits: 64, inexact: true };
export const INT64: BtType = { k: "int", signed: true, bits: 64 };

export const int = (signed: boolean, bits: number): BtType => ({ k: "int", signed, bits });

/** The smallest signed type holding `v` (bpftrace ≥ 0.26 types literals this way), uint64 above int64. */
export function literalType(v: bigint, sizedLiterals: boolean): BtType {
  if (!sizedLiterals) return { k: "int", signed: v < 0n || v <= 0x7fffffffffffffffn, bits: 64, literal: v };
  for (const bits of [8, 16, 32, 64]) {
    const max = (1n << BigInt(bits - 1)) - 1n;
    if (v >= -max - 1n && v <= max) return { k: "int", signed: true, bits, literal: v };
  }
  return { k: "int", signed: false, bits: 64, literal: v };
}

/** bpftrace's spelling of a type (`int8`, `string[4]`, `(int8,bool)`, `struct Foo *`). */
export function typeName(t: BtType): string {
  switch (t.k) {
    case "int":
      return `${t.signed ? "" : "u"}int${t.bits}`;
    case "bool":
      return "bool";
    case "string":
      return t.size === undefined ? "string" : `string[${t.size}]`;
    case "buffer":
      return "buffer";
    case "pointer":
      return `${typeName(t.to)} *`;
    case "array":
      return `${typeName(t.of)}[${t.length ?? ""}]`;
    case "tuple":
      return `(${t.elements.map(typeName).join(",")})`;
    case "record":
      return `record { ${t.fields.map((f) => `.${f.name} = ${typeName(f.type)}`).join(", ")} }`;
    case "struct":
      return `${t.tag} ${t.name}`;
    case "void":
      return "void";
    case "aggregation":
      return `${t.fn}()`;
    case "stack":
      return t.user ? "ustack" : "kstack";
    case "opaque":
      return t.name;
    case "unknown":
      return "unknown";
  }
}

/** Words for a message: `an integer`, `a string`, `a tuple (int8,bool)`. */
export function describeType(t: BtType): string {
  switch (t.k) {
    case "int":
      return `an integer (${typeName(t)})`;
    case "bool":
      return "a bool";
    case "string":
      return `a string${t.size !== undefined ? ` (${typeName(t)})` : ""}`;
    case "pointer":
      return `a pointer (${typeName(t)})`;
    case "void":
      return "no value (void)";
    case "aggregation":
      return `the aggregation ${t.fn}()`;
    case "stack":
      return `a ${t.user ? "user" : "kernel"} stack${t.mode || t.limit !== undefined ? ` (${[t.mode, t.limit].filter((x) => x !== undefined).join(", ")})` : ""}`;
    case "tuple":
      return `a tuple ${typeName(t)}`;
    case "record":
      return `a ${typeName(t)}`;
    case "array":
      return `an array ${typeName(t)}`;
    default:
      return typeName(t);
  }
}

export const isKnown = (t: BtType) => t.k !== "unknown";

/** bpftrace's SizedType::FitsInto for integers: same sign and not larger, or unsigned into a larger signed type. */
export function intFitsInto(from: { signed: boolean; bits: number }, to: { signed: boolean; bits: number }): boolean {
  if (from.signed === to.signed) return from.bits <= to.bits;
  return !from.signed && from.bits < to.bits;
}

export const sameType = (a: BtType, b: BtType): boolean => typeName(a) === typeName(b) && a.k !== "unknown";
/** Integers, bools and C enums: what arithmetic works on. */
export const isIntegerLike = (t: BtType) => t.k === "int" || t.k === "bool";

/**
 * Whether a value of type `value` may be stored where `held` is already stored (a scratch
 * variable or map value). Integers of any size and sign mix (bpftrace promotes); strings of any
 * size mix; pointers mix unless they point to differently named structs. Unknown parts agree.
 */
export function assignable(held: BtType, value: BtType): boolean {
  if (held.k === "unknown" || value.k === "unknown") return true;
  if (held.k !== value.k) return false;
  switch (held.k) {
    case "pointer": {
      const a = held.to;
      const b = (value as typeof held).to;
      return !(a.k === "struct" && b.k === "struct" && a.name !== b.name);
    }
    case "array": {
      const v = value as typeof held;
      return assignable(held.of, v.of) && (held.length === undefined || v.length === undefined || held.length === v.length);
    }
    case "tuple": {
      const v = value as typeof held;
      return held.elements.length === v.elements.length && held.elements.every((e, i) => assignable(e, v.elements[i]));
    }
    case "record": {
      const v = value as typeof held;
      return (
        held.fields.length === v.fields.length &&
        held.fields.every((f) => {
          const g = v.fields.find((x) => x.name === f.name);
          return g !== undefined && assignable(f.type, g.type);
        })
      );
    }
    case "struct":
      return held.name === (value as typeof held).name;
    case "aggregation": {
      const v = value as typeof held;
      return held.fn === v.fn;
    }
    case "stack": {
      const v = value as typeof held;
      // An unwritten mode or limit is the configured default, which a config block or the environment may change.
      const same = <T,>(a: T | undefined, b: T | undefined) => a === undefined || b === undefined || a === b;
      return held.user === v.user && same(held.mode, v.mode) && same(held.limit, v.limit);
    }
    case "opaque":
      return held.name === (value as typeof held).name;
    default:
      return true;
  }
}
