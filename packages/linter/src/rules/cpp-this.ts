import type { AttachPoint, Call, Expression, Node } from "@bt/parser";
import { walk } from "@bt/parser";
import type { Machine } from "@bt/system";
import { createRule } from "../rule.ts";
import type { RuleContext } from "../types.ts";
import { DECIMAL_CONVERSIONS, FORMAT_FUNCTIONS, parseFormat } from "./format.ts";
import { intValue } from "./util.ts";

/**
 * What bt-lint knows about the function a `cpp:` uprobe attaches to.
 * - `debug-info`: DWARF says whether it has an artificial `this`, and names the parameters.
 * - `symbols`: the binary's symbols show the qualifier is a class (constructor, destructor or
 *   const member); parameter names are unknown.
 * - `assumed`: nothing to read (no `--machine`, or the binary is not here): a qualified name is
 *   taken for a member function, the common case in C++ tracing.
 */
export type Verdict =
  | { member: false }
  | { member: true; how: "debug-info"; fn: string; params: { name: string; type: string }[] }
  | { member: true; how: "symbols"; fn: string; why: string }
  | { member: true; how: "assumed"; fn: string; why: string };

/** Splits `ns::Cls::method(int) const` into qualifier parts and the method name. */
export function splitQualified(func: string): { qualifier: string[]; name: string } | undefined {
  const noParams = func.replace(/\(.*$/, "").trim();
  const parts = noParams.split("::");
  if (parts.length < 2 || parts.some((p) => !/^[A-Za-z_~][A-Za-z0-9_]*$/.test(p))) return undefined;
  return { qualifier: parts.slice(0, -1), name: parts[parts.length - 1] };
}

/** `ns::Cls` → `2ns3Cls` (Itanium nested-name components). */
const mangleParts = (parts: string[]) => parts.map((p) => `${p.length}${p}`).join("");

/**
 * Whether the stored (mangled) names show `qualifier` is a class: it has constructors (`C1`,
 * `C2`), destructors (`D0`–`D2`) or const members (`_ZNK`). A namespace has none of these.
 */
function isClassBySymbols(names: Iterable<string>, qualifier: string[]): boolean {
  const m = mangleParts(qualifier);
  const own = new RegExp(`^_ZN${m}(C[1-5]|D[0-5])`);
  for (const s of names) if (own.test(s) || s.startsWith(`_ZNK${m}`)) return true;
  return false;
}

/** Member or free function, from the machine's adapters (DWARF first, then symbols); assumed without them. */
export function classify(ap: AttachPoint, machine: Machine | undefined): Verdict {
  const fn = ap.func?.value ?? "";
  const q = splitQualified(fn);
  if (!q) return { member: false };
  const target = ap.target?.value;
  if (!machine) return { member: true, how: "assumed", fn, why: "run with `--machine` to decide from the binary" };
  if (!target || ap.targetKind === "glob" || ap.targetKind === "all") return { member: true, how: "assumed", fn, why: "no single binary to read" };
  const bin = machine.resolveBinary(target);
  if (!bin.ok) return { member: true, how: "assumed", fn, why: `${target} cannot be read here` };
  const dwarf = machine.functionParameters(bin.path, fn);
  if (dwarf.ok) {
    const [first, ...rest] = dwarf.function.params;
    if (!first?.artificial) return { member: false };
    return { member: true, how: "debug-info", fn, params: rest.map((p) => ({ name: p.name, type: p.type })) };
  }
  const symbols = machine.binarySymbols(bin.path);
  if (!symbols.ok) return { member: true, how: "assumed", fn, why: `no symbols could be read from ${bin.path}` };
  if (isClassBySymbols(symbols.value.symbols.map((s) => s.name), q.qualifier))
    return { member: true, how: "symbols", fn, why: `${q.qualifier.join("::")} is a class in ${bin.path}` };
  return { member: false };
}

/** `const std::string &`, `char *`, `Foo * const`: a parameter that is itself an address. */
const isAddress = (cType: string) => /[*&]\s*(const\s*)?$/.test(cType.trim());

export default createRule({
  meta: {
    id: "cpp-this",
    description:
      "In a uprobe on a C++ member function, `arg0` is the implicit `this` pointer and the first declared parameter is `arg1`.",
    type: "problem",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      debugInfo:
        "`{{signature}}` is a C++ member function: `arg0` is `this`, not `{{first}}`; `{{first}}` ({{firstType}}) is `arg1`.",
      noParameters: "`{{fn}}` is a C++ member function without parameters: `arg0` is `this`.",
      member:
        "`{{fn}}` is a C++ member function ({{why}}): `arg0` is the implicit `this` pointer, not its first parameter; the first parameter is `arg1`.",
      assumed:
        "`arg0` is used as a value, but in a C++ member function it is the implicit `this` pointer and the first parameter is `arg1` (bt-lint assumed `{{fn}}` is a member function: {{why}}).",
    },
  },
  check(ctx) {
    for (const p of ctx.model.probes) {
      const verdicts = p.context.cppAttachPoints.map((ap) => classify(ap, ctx.machine));
      // Reported only when every attach point is a member: arg0 of a free function is its first parameter.
      if (verdicts.length === 0 || verdicts.some((v) => !v.member)) continue;
      const v = (verdicts.find((x) => x.member && x.how === "debug-info") ??
        verdicts.find((x) => x.member && x.how === "symbols") ??
        verdicts[0]) as Exclude<Verdict, { member: false }>;
      const firstIsAddress = v.how === "debug-info" && v.params.length > 0 && isAddress(v.params[0].type);
      for (const use of misusedArg0(ctx, p.node, firstIsAddress)) {
        // arg1 is exactly the first parameter once the binary says this is a member function with one.
        const exact = v.how === "symbols" || (v.how === "debug-info" && v.params.length > 0);
        const fix = exact ? { edits: [{ range: use.range, text: "arg1" }] } : undefined;
        if (v.how === "debug-info") {
          if (v.params.length === 0) ctx.report({ messageId: "noParameters", data: { fn: v.fn }, range: use.range });
          else
            ctx.report({
              messageId: "debugInfo",
              data: { signature: `${v.fn}(${["this", ...v.params.map((x) => x.name)].join(", ")})`, first: v.params[0].name, firstType: v.params[0].type },
              range: use.range,
              fix,
            });
        } else ctx.report({ messageId: v.how === "symbols" ? "member" : "assumed", data: { fn: v.fn, why: v.why }, range: use.range, fix });
      }
    }
  },
});

const isArg0 = (e: Node | undefined): boolean => !!e && e.type === "Builtin" && e.name === "arg0";

/**
 * `arg0` under casts and, when the first parameter is an address (`const std::string &`), under
 * dereferences too: `str(*(uint64 *)arg0)` reads the first parameter's string through `this`.
 */
function arg0Within(ctx: RuleContext, e: Expression, throughDereference: boolean): Expression | undefined {
  let x = ctx.model.unwrap(e);
  for (;;) {
    if (isArg0(x)) return x;
    if (x.type === "Cast") x = ctx.model.unwrap(x.operand);
    else if (throughDereference && x.type === "UnaryExpression" && x.operator === "*") x = ctx.model.unwrap(x.operand);
    else return undefined;
  }
}

/** `arg0` used as a parameter value: printed as a number or string, str()'d, compared with a number, used as a size or aggregated. */
function misusedArg0(ctx: RuleContext, root: Node, firstIsAddress: boolean): Node[] {
  const out: Node[] = [];
  const within = (e: Expression | undefined) => (e ? arg0Within(ctx, e, firstIsAddress) : undefined);
  walk(root, (node) => {
    if (node.type === "AttachPoint") return false;
    if (node.type === "Call") {
      const c = node as Call;
      const name = c.callee.name;
      if (FORMAT_FUNCTIONS.has(name) && c.args[0]?.type === "StringLiteral") {
        const { specifiers } = parseFormat(c.args[0].value);
        specifiers.forEach((s, i) => {
          const use = within(c.args[i + 1] as Expression | undefined);
          if (use && (DECIMAL_CONVERSIONS.has(s.conversion) || s.conversion === "s")) out.push(use);
        });
      } else if (name === "str" || name === "buf") {
        for (const a of c.args) {
          const use = within(a as Expression);
          if (use) out.push(use);
        }
      } else if (["hist", "lhist", "sum", "avg", "min", "max", "stats"].includes(name)) {
        const use = within(c.args[0] as Expression | undefined);
        if (use) out.push(use);
      }
    } else if (node.type === "BinaryExpression" && ["==", "!=", "<", ">", "<=", ">="].includes(node.operator)) {
      const l = within(node.left);
      const r = within(node.right);
      if (l && (intValue(ctx.model.unwrap(node.right)) ?? 0) !== 0) out.push(l);
      if (r && (intValue(ctx.model.unwrap(node.left)) ?? 0) !== 0) out.push(r);
    }
    return true;
  });
  return out;
}
