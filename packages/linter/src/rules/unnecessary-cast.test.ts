import { RuleTester } from "../rule-tester.ts";
import rule from "./unnecessary-cast.ts";

new RuleTester({ target: "0.27" }).run("unnecessary-cast", rule, {
  valid: [
    "kprobe:f { @ = (uint32)nsecs; @b = (int64)1; @c = (struct task_struct *)arg0; }",
    { code: "kprobe:f { @ = (uint64)nsecs; }", target: "0.26" },
  ],
  invalid: [
    { code: "kprobe:f { @ = (uint64)nsecs; }", errors: [{ messageId: "unnecessary", line: 1, column: 16, endLine: 1, endColumn: 29 }], output: null },
    { code: "kprobe:f { @ = (int8)1; }", errors: [{ messageId: "unnecessary", line: 1, column: 16, endLine: 1, endColumn: 23 }], output: null },
    // curtask is a struct task_struct * even when the kernel's definition is not known
    { code: "kprobe:f { $t = (struct task_struct *)curtask; print($t); }", errors: [{ messageId: "unnecessary", line: 1, column: 17, endLine: 1, endColumn: 46 }], output: null },
    // a kretprobe's retval is a uint64
    { code: "kretprobe:f { @ = (uint64)retval; }", errors: [{ messageId: "unnecessary", line: 1, column: 19, endLine: 1, endColumn: 33 }], output: null },
  ],
});
