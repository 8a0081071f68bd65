import type { Expression } from "@bt/parser";
import { createRule } from "../rule.ts";
import { typeName, type Kind } from "@bt/semantic";
import { FORMAT_FUNCTIONS, INTEGER_CONVERSIONS, UNSUPPORTED_CONVERSIONS, allowedConversions, parseFormat } from "./format.ts";

const NOT_A_NUMBER: ReadonlySet<Kind> = new Set(["string", "inet", "buffer", "stack", "symbol", "tuple", "record", "aggregation"]);

export default createRule({
  meta: {
    id: "format-string",
    description: "`printf`/`system`/`cat`/`errorf`… format strings must have one argument per specifier, of a kind the specifier can print.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      notLiteral: "The format of `{{fn}}()` must be a string literal.",
      tooFew: "`{{fn}}()` format has {{specs}} specifier{{s}} but {{args}} argument{{as}}: `{{spec}}` has no value.",
      tooMany: "`{{fn}}()` format has {{specs}} specifier{{s}} but {{args}} argument{{as}}: this one is never printed.",
      kind: "`{{spec}}` prints an integer but this value is a {{kind}}{{hint}}.",
      aggregation: "`{{spec}}` cannot print a map aggregation (count/hist/…); print the map with `print()`.",
      buffer: "`{{spec}}` prints a buffer from `buf()`; this value is a {{type}}. Use `%s` for strings, `%d`/`%x` for integers.",
      debugfCount: "`debugf()` prints at most 3 values (bpf_trace_printk); this format has {{specs}}.",
      unsupported: "`{{spec}}` prints a floating-point number, which bpftrace does not have; print an integer with `%d`.",
      notInFunction: "`{{fn}}()` prints only {{allowed}}, not `{{spec}}`.",
      invalid: "`{{spec}}` is not a format specifier bpftrace understands and prints as it is; write `%%` for a literal percent sign.",
    },
  },
  check(ctx) {
    const macros = new Set(ctx.ast.body.flatMap((t) => (t.type === "MacroDef" ? [t.name.name] : [])));
    for (const call of ctx.model.calls) {
      const fn = call.callee.name;
      if (!FORMAT_FUNCTIONS.has(fn)) continue;
      const first = call.args[0];
      if (!first) continue;
      if (first.type === "IntegerLiteral" || first.type === "BooleanLiteral") {
        ctx.report({ messageId: "notLiteral", data: { fn }, range: first.range });
        continue;
      }
      if (first.type !== "StringLiteral") {
        // A call to a user macro (`macro fmt() { "…" }`) expands to its body, which can be a literal.
        const macroCall = first.type === "Call" && macros.has(first.callee.name);
        if ((fn === "printf" || fn === "debugf") && !macroCall && ctx.model.ownerOf(call)?.type !== "MacroDef") ctx.report({ messageId: "notLiteral", data: { fn }, range: first.range });
        continue;
      }
      const { specifiers, invalid } = parseFormat(first.value);
      // bpftrace prints a `%` that starts no specifier as it is: likely a typo, not an error.
      for (const spec of invalid) ctx.report({ messageId: "invalid", data: { spec }, range: first.range, severity: "warning" });
      const allowed = allowedConversions(fn);
      for (const spec of specifiers) {
        if (UNSUPPORTED_CONVERSIONS.has(spec.conversion)) ctx.report({ messageId: "unsupported", data: { spec: spec.text }, range: first.range });
        else if (allowed && !allowed.has(spec.conversion))
          ctx.report({ messageId: "notInFunction", data: { fn, spec: spec.text, allowed: [...allowed].map((c) => `%${c}`).join(" ") }, range: first.range });
      }
      const args = call.args.slice(1) as Expression[];
      if (fn === "debugf" && specifiers.length > 3) ctx.report({ messageId: "debugfCount", data: { specs: specifiers.length }, range: first.range });
      const plural = { s: specifiers.length === 1 ? "" : "s", as: args.length === 1 ? "" : "s" };
      if (args.length < specifiers.length) {
        ctx.report({ messageId: "tooFew", data: { fn, specs: specifiers.length, args: args.length, spec: specifiers[args.length].text, ...plural }, range: first.range });
      } else if (args.length > specifiers.length) {
        for (const extra of args.slice(specifiers.length)) {
          ctx.report({ messageId: "tooMany", data: { fn, specs: specifiers.length, args: args.length, ...plural }, range: extra.range });
        }
      }
      specifiers.forEach((spec, i) => {
        const arg = args[i];
        if (!arg) return;
        const type = ctx.model.types.typeOf(arg);
        // The type checker knows more than the light kind in places (`$2` when the run's parameters are known).
        const light = ctx.model.typeOf(arg);
        const kind = light === "unknown" && type.k === "string" ? "string" : light;
        if (/^r[xh]?$/.test(spec.conversion) && type.k !== "unknown" && type.k !== "buffer" && !(type.k === "array" && type.of.k === "int")) {
          ctx.report({ messageId: "buffer", data: { spec: spec.text, type: typeName(type) }, range: arg.range });
        } else if (kind === "aggregation") {
          ctx.report({ messageId: "aggregation", data: { spec: spec.text }, range: arg.range });
        } else if (INTEGER_CONVERSIONS.has(spec.conversion) && NOT_A_NUMBER.has(kind)) {
          const hint = kind === "string" || kind === "symbol" || kind === "inet" || kind === "stack" ? "; use `%s`" : kind === "buffer" ? "; use `%r`" : "";
          ctx.report({ messageId: "kind", data: { spec: spec.text, kind, hint }, range: arg.range });
        }
      });
    }
  },
});
