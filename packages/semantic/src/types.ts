/**
 * Light types: the kind of value an expression has, as far as it can be told without BTF.
 * Enough for printf specifier checks and map value consistency; `unknown` never flags.
 */
import type { Expression, NamedType } from "@bt/parser";
import { builtinFacts, functionFacts } from "./facts.ts";
import { computeLeftSpine } from "./left-spine.ts";
import type { SemanticModel } from "./model.ts";

export type Kind =
  | "int"
  | "bool"
  | "string"
  | "pointer"
  | "aggregation"
  | "stack"
  | "symbol"
  | "inet"
  | "buffer"
  | "tuple"
  | "record"
  | "none"
  | "unknown";

const INT_TYPE = /^(u?int(8|16|32|64)|bool|char|short|int|long|unsigned|size_t|pid_t|u8|u16|u32|u64|s8|s16|s32|s64)$/;

export function kindOfType(t: NamedType): Kind {
  if (t.suffixes.some((s) => s.kind === "pointer")) return "pointer";
  if (t.suffixes.some((s) => s.kind === "array")) return t.name === "string" || t.name === "str_t" ? "string" : "unknown";
  if (t.tag) return "unknown";
  if (t.name === "string" || t.name === "str_t") return "string";
  if (t.name === "inet" || t.name === "inet_t") return "inet";
  if (t.name === "buffer" || t.name === "buf_t") return "buffer";
  if (INT_TYPE.test(t.name)) return "int";
  return "unknown";
}

export function createTypeInference(model: SemanticModel): (e: Expression) => Kind {
  const memo = new Map<Expression, Kind>();
  const inProgress = new Set<unknown>();

  const mapKind = (name: string): Kind => {
    const sym = model.maps.get(name);
    if (!sym || inProgress.has(sym)) return "unknown";
    inProgress.add(sym);
    try {
      for (const u of sym.uses) {
        if (u.kind === "write" && u.value) {
          const k = typeOf(u.value);
          const v = model.unwrap(u.value);
          // Reading a count()/sum()/min()/max()/avg() map gives its value; other aggregations stay opaque.
          if (k === "aggregation") return (v.type === "Call" && functionFacts(v.callee.name)?.readsAs) || "unknown";
          if (k !== "unknown") return k;
        } else if (u.kind === "write") {
          return "int"; // ++ / --
        }
      }
      return "unknown";
    } finally {
      inProgress.delete(sym);
    }
  };

  function typeOf(e: Expression): Kind {
    const hit = memo.get(e);
    if (hit) return hit;
    computeLeftSpine(e, memo, compute);
    const k = compute(e);
    memo.set(e, k);
    return k;
  }

  function compute(e: Expression): Kind {
    switch (e.type) {
      case "IntegerLiteral":
        return "int";
      case "StringLiteral":
        return "string";
      case "BooleanLiteral":
        return "bool";
      case "Parenthesized":
        return typeOf(e.expression);
      case "Builtin":
      case "Identifier": {
        if (/^s?arg\d+$/.test(e.name) || e.name === "retval") return "int";
        const name = e.name.replace(/^__builtin_/, "");
        return builtinFacts(name)?.kind ?? "unknown";
      }
      case "Variable": {
        const sym = model.symbolOf(e);
        if (!sym || inProgress.has(sym)) return "unknown";
        inProgress.add(sym);
        try {
          for (const w of sym.writes) {
            if (w.value) {
              const k = typeOf(w.value);
              if (k !== "unknown") return k;
            }
          }
          const decl = sym.declaration;
          if (decl.type === "LetStatement" && decl.typeRef?.type === "NamedType") return kindOfType(decl.typeRef);
          if (decl.type === "FnParam" && decl.typeRef.type === "NamedType") return kindOfType(decl.typeRef);
          return "unknown";
        } finally {
          inProgress.delete(sym);
        }
      }
      case "MapRef":
      case "MapAccess":
        return mapKind(e.type === "MapRef" ? e.name : e.map.name);
      case "Call": {
        const f = functionFacts(e.callee.name);
        if (f?.aggregation) return "aggregation";
        return f?.returns ?? "unknown";
      }
      case "UnaryExpression":
        if (e.operator === "!") return "bool";
        if (e.operator === "-" || e.operator === "~") return "int";
        if (e.operator === "&") return "pointer";
        return "unknown";
      case "UpdateExpression":
        return "int";
      case "BinaryExpression": {
        switch (e.operator) {
          case "==": case "!=": case "<": case ">": case "<=": case ">=": case "&&": case "||":
            return "bool";
          case "+": case "-": {
            const l = typeOf(e.left);
            const r = typeOf(e.right);
            if (l === "pointer" || r === "pointer") return e.operator === "-" && l === "pointer" && r === "pointer" ? "int" : "pointer";
            if (l === "int" && r === "int") return "int";
            return l === "int" || r === "int" ? (l === "unknown" || r === "unknown" ? "unknown" : "int") : "unknown";
          }
          default: {
            const l = typeOf(e.left);
            const r = typeOf(e.right);
            if ((l === "int" || l === "bool") && (r === "int" || r === "bool")) return "int";
            return "unknown";
          }
        }
      }
      case "TernaryExpression": {
        const a = e.consequent ? typeOf(e.consequent) : typeOf(e.test);
        const b = typeOf(e.alternate);
        return a === b ? a : "unknown";
      }
      case "Cast":
        return e.typeRef.type === "NamedType" ? kindOfType(e.typeRef) : "unknown";
      case "TupleExpression":
        return "tuple";
      case "RecordExpression":
        return "record";
      case "SizeofExpression":
      case "OffsetofExpression":
        return "int";
      default:
        return "unknown";
    }
  }
  return typeOf;
}
