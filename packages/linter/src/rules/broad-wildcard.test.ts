import { RuleTester } from "../rule-tester.ts";
import rule from "./broad-wildcard.ts";

new RuleTester().run("broad-wildcard", rule, {
  valid: ["kprobe:tcp_* { @ = count(); }", "uprobe:/lib/libc.so.6:str* { @ = count(); }", "tracepoint:syscalls:* { @ = count(); }"],
  invalid: [
    { code: "kprobe:* { @ = count(); }", errors: [{ messageId: "broad", line: 1, column: 1, endLine: 1, endColumn: 9 }], output: null },
    { code: "BEGIN {}\nuprobe:/lib/libc.so.6:* { @ = count(); }", errors: [{ messageId: "broad", line: 2, column: 1, endLine: 2, endColumn: 24 }], output: null },
  ],
});
