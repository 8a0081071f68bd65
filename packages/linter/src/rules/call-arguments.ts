import type { Call, Expression, Node } from "@bt/parser";
import { functionFacts, knownCall } from "../lang.ts";
import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";
import { intValue } from "./util.ts";

export default createRule({
  meta: {
    id: "call-arguments",
    description:
      "Calls must name a known function with the right number and kind of arguments: aggregations only as map values, `str()` of a pointer, sane `hist`/`lhist` ranges.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      unknown: "Unknown function `{{name}}()`.",
      arity: "`{{name}}()` takes {{expected}} argument{{s}}, not {{got}}.",
      aggregationPlace: "`{{name}}()` is a map aggregation: assign it to a map (`@x = {{name}}(…)`).",
      strOfString: "`str()` of something that already is a {{kind}} has no effect; `str()` reads a string from a pointer.",
      strOfLiteral: "`str()` of the integer literal {{value}} reads memory at address {{value}}.",
      histBits: "`hist()` precision must be between 0 and 5 (got {{value}}).",
      lhistRange: "`lhist()` {{problem}}.",
      printStats: "`print()` ignores its top and div arguments for `{{name}}`, a stats() map. Print it with `print({{name}})`.",
      builtinArguments: "`{{fn}}()` {{problem}}.",
      fail: "`fail()` stops compilation here with \"{{message}}\": this program cannot run. Keep fail() inside macros and `if comptime` branches.",
      getoptDefault: "Option `{{name}}` has the default {{before}} elsewhere; here {{now}}. Give every `getopt(\"{{name}}\", …)` the same default.",
      argumentRange: "Argument {{n}} of `{{fn}}()` must be at least {{min}}, not {{value}}.",
      stackMode: "`{{fn}}()` takes a stack mode first (one of {{modes}}), then a limit.",
      stackLimit: "The stack limit of `{{fn}}()` must be an integer literal (the number of frames).",
      argumentType: "Argument {{n}} of `{{fn}}()` must be {{expected}}, not a value of type {{type}}.",
      argumentValue: "Argument {{n}} of `{{fn}}()` {{problem}}.",
      noSignature: "These arguments fit no form of `{{fn}}()`: {{forms}}.",
      unsafe: "`{{fn}}()` is unsafe: bpftrace runs it only with `--unsafe`, which this run does not have.",
    },
  },
  check(ctx) {
    const userFns = ctx.model.userCallables;
    // `import "…"` brings in functions and macros bt-lint cannot see: unknown names may come from there.
    const imports = ctx.model.hasImport;
    for (const call of ctx.model.calls) {
      const name = call.callee.name;
      if (userFns.has(name)) continue;
      const f = functionFacts(name, ctx.target);
      if (!f) {
        if (!imports && !name.startsWith("__builtin_") && !knownCall(name, ctx.target) && !coveredByParser(ctx, call)) {
          ctx.report({ messageId: "unknown", data: { name }, range: call.callee.range });
        }
      } else {
        const n = call.args.length;
        const badCount = (f.minArgs !== undefined && n < f.minArgs) || (f.maxArgs !== undefined && n > f.maxArgs);
        // version-compat owns the delete forms; the parser reports arities of old releases itself.
        if (badCount && name !== "delete" && !coveredByParser(ctx, call)) {
          const expected = f.minArgs === f.maxArgs ? `${f.minArgs}` : f.maxArgs === undefined ? `at least ${f.minArgs}` : `${f.minArgs}–${f.maxArgs}`;
          ctx.report({ messageId: "arity", data: { name, expected, got: n, s: expected === "1" ? "" : "s" }, range: call.range });
        }
        if (f.aggregation && !isMapValue(ctx, call)) ctx.report({ messageId: "aggregationPlace", data: { name }, range: call.range });
      }
      checkSpecific(ctx, call);
    }
    reportTypeProblems(ctx, { "print-stats-arguments": "printStats" }, "warning");
    reportTypeProblems(ctx, { "argument-type": "argumentType", "stack-mode": "stackMode", "stack-limit": "stackLimit", "argument-range": "argumentRange", "argument-value": "argumentValue", "no-signature": "noSignature", "unsafe-call": "unsafe", "builtin-arguments": "builtinArguments", fail: "fail", "getopt-default": "getoptDefault" });
  },
});

/** `@m = avg(x)`, also through parentheses and block expressions: `@m = { let $a = 1; avg($a) }`. */
function isMapValue(ctx: import("../types.ts").RuleContext, call: Call): boolean {
  let node: Node = call;
  let parent = ctx.model.parentOf(node);
  while ((parent?.type === "Block" && parent.result === node) || parent?.type === "Parenthesized") {
    node = parent;
    parent = ctx.model.parentOf(node);
  }
  return parent?.type === "Assignment" && parent.value === node && parent.target.type !== "Variable";
}

function checkSpecific(ctx: import("../types.ts").RuleContext, call: Call): void {
  const name = call.callee.name;
  const args = call.args as Expression[];
  if (name === "str" && args[0]) {
    const a = ctx.model.unwrap(args[0]);
    const kind = ctx.model.typeOf(a);
    // bpftrace accepts both (reading address 0 gives an empty string): warnings, not errors.
    if (a.type === "IntegerLiteral") ctx.report({ messageId: "strOfLiteral", data: { value: a.raw }, range: a.range, severity: "warning" });
    else if (kind === "string") ctx.report({ messageId: "strOfString", data: { kind }, range: a.range, severity: "warning" });
  }
  if (name === "hist" && args[1]) {
    const v = intValue(args[1]);
    if (v !== undefined && (v < 0 || v > 5)) ctx.report({ messageId: "histBits", data: { value: v }, range: args[1].range });
  }
  if (name === "lhist" && args.length === 4) {
    const [min, max, step] = [intValue(args[1]), intValue(args[2]), intValue(args[3])];
    let problem: string | undefined;
    if (min !== undefined && min < 0) problem = `minimum must be non-negative (got ${min})`;
    else if (min !== undefined && max !== undefined && max <= min) problem = `maximum (${max}) must be greater than the minimum (${min})`;
    else if (step !== undefined && step <= 0) problem = `step must be positive (got ${step})`;
    else if (min !== undefined && max !== undefined && step !== undefined && (max - min) / step > 1000) problem = `range ${min}..${max} with step ${step} makes ${Math.ceil((max - min) / step)} buckets (bpftrace allows 1000)`;
    if (problem) ctx.report({ messageId: "lhistRange", data: { problem }, range: call.range });
  }
}

/** The parser (old releases) already reports unknown calls and wrong arities. */
function coveredByParser(ctx: import("../types.ts").RuleContext, call: Call): boolean {
  return ctx.parseDiagnostics.some((d) => d.range.start.offset < call.range.end.offset && call.range.start.offset < d.range.end.offset);
}
