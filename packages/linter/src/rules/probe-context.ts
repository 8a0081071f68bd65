import type { Builtin, Identifier, Node } from "@bt/parser";
import type { RuleContext } from "../types.ts";
import { language, walk } from "@bt/parser";
import { builtinFacts, functionFacts } from "../lang.ts";
import { createRule } from "../rule.ts";

/** Builtins and functions whose validity depends on the probe type (facts: the language data). */
export default createRule({
  meta: {
    id: "probe-context",
    description:
      "Builtins and functions that only make sense in some probe types (`retval` in return probes, `args` where the probe has arguments, `argN` outside tracepoints, `func`, `reg`, `uaddr`, `override`…) must be used there.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      builtin: "`{{name}}` is not available in {{provider}} probes (valid in: {{valid}}).",
      call: "`{{name}}()` is not available in {{provider}} probes (valid in: {{valid}}).",
      forLoop: "`{{name}}` reads the probe context, which a `for` loop body does not get. Copy it to a variable before the loop.",
      argsInTracepoint: "Tracepoints have no `{{name}}`: use `args.<field>` (list the fields with `bpftrace -lv '{{ap}}'`).",
      notInFn: "`{{name}}` only exists in a probe, not in the `fn` `{{fn}}`. Pass its value to the function as an argument.",
    },
  },
  check(ctx) {
    for (const p of ctx.model.types.problems) if (p.code === "context-in-loop") ctx.report({ messageId: "forLoop", data: p.data, range: p.node.range });
    for (const t of ctx.ast.body) {
      if (t.type !== "FnDef") continue;
      walk(t.body, (node: Node) => {
        if (node.type !== "Builtin" && node.type !== "Identifier") return;
        if (!isBuiltinUse(ctx, node)) return;
        const name = node.name.replace(/^__builtin_/, "");
        const facts = language.findBuiltin(name, ctx.target) as { notInFn?: boolean } | undefined;
        if (facts?.notInFn) ctx.report({ messageId: "notInFn", data: { name, fn: t.name.name }, range: node.range });
      });
    }
    for (const p of ctx.model.probes) {
      const providers = p.context.providers;
      if (!p.context.allKnown) continue;
      walk(p.node.body, (node: Node) => {
        let name: string | undefined;
        let kind: "builtin" | "call" = "builtin";
        if (node.type === "Builtin" || node.type === "Identifier") {
          if (!isBuiltinUse(ctx, node)) return;
          name = node.name.replace(/^__builtin_/, "");
        } else if (node.type === "Call") {
          name = node.callee.name;
          kind = "call";
        } else return;
        if (/^arg\d+$/.test(name)) {
          const i = providers.findIndex((pr) => pr === "tracepoint");
          if (i >= 0) {
            ctx.report({ messageId: "argsInTracepoint", data: { name, ap: p.node.attachPoints[i].raw }, range: node.range });
            return;
          }
        }
        const facts = kind === "call" ? functionFacts(internalNames.get(name) ?? name) : builtinFacts(name, ctx.target);
        const valid = facts?.probes;
        const notValid = facts && "notProbes" in facts ? facts.notProbes : undefined;
        // No restriction (an empty `probes` list without `notProbes` counts as none).
        if (!facts || ((!valid || valid.length === 0) && !notValid)) return;
        const bad = providers.find((pr) => pr && !language.builtinAllowedIn(facts, pr));
        if (!bad) return;
        const validText = valid ? valid.join(", ") : `every probe type but ${notValid!.join(", ")}`;
        ctx.report({ messageId: kind, data: { name, provider: bad, valid: validText }, range: kind === "call" && node.type === "Call" ? node.callee.range : node.range });
      });
    }
  },
});

/** `__builtin_uaddr` → `uaddr`: functions the standard library calls by an internal name (language data `internalName`). */
const internalNames = new Map(language.FUNCTIONS.flatMap((f) => ((f as { internalName?: string }).internalName ? [[(f as { internalName?: string }).internalName!, f.name] as const] : [])));

/** A builtin's name used as a value: not a call's name, a field name or an offsetof() field (`offsetof(struct Foo, ctx)`). */
function isBuiltinUse(ctx: RuleContext, node: Builtin | Identifier): boolean {
  const parent = ctx.model.parentOf(node);
  if (parent?.type === "Call" && parent.callee === node) return false;
  if (parent?.type === "FieldAccess" && parent.field === node) return false;
  if (parent?.type === "OffsetofExpression" && node.type === "Identifier" && parent.fields.includes(node)) return false;
  return true;
}
