import { RuleTester } from "../rule-tester.ts";
import rule from "./probe-context.ts";

new RuleTester().run("probe-context", rule, {
  valid: ["kprobe:f { @ = arg0; }", "tracepoint:syscalls:sys_enter_openat { @ = args.flags; }"],
  invalid: [
    {
      code: "tracepoint:syscalls:sys_enter_openat { @ = arg1; }",
      errors: [{ messageId: "argsInTracepoint", line: 1, column: 44, endLine: 1, endColumn: 48 }],
      output: null,
    },
  ],
});
