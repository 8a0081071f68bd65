import type { Node } from "@bt/parser";
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
    },
  },
  check(ctx) {
    for (const p of ctx.model.types.problems) if (p.code === "context-in-loop") ctx.report({ messageId: "forLoop", data: p.data, range: p.node.range });
    for (const p of ctx.model.probes) {
      const providers = p.context.providers;
      if (!p.context.allKnown) continue;
      walk(p.node.body, (node: Node) => {
        let name: string | undefined;
        let kind: "builtin" | "call" = "builtin";
        if (node.type === "Builtin" || node.type === "Identifier") {
          const parent = ctx.model.parentOf(node);
          if (parent?.type === "Call" && parent.callee === node) return;
          if (parent?.type === "FieldAccess" && parent.field === node) return;
          // `offsetof(struct Foo, ctx)`: a field name, not the builtin.
          if (parent?.type === "OffsetofExpression" && node.type === "Identifier" && parent.fields.includes(node)) return;
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
        const facts = kind === "call" ? functionFacts(name) : builtinFacts(name, ctx.target);
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
