import { machineFromFacts } from "@bt/system";
import { describe, expect, it } from "vitest";
import { lintText } from "../lint.ts";
import { RuleTester } from "../rule-tester.ts";
import rule from "./unknown-name.ts";

/** A kernel whose types are known whole (what BTF gives): one struct, one typedef, one enum value. */
const kernel = machineFromFacts({ structs: { task_struct: [["pid", "pid_t"]] }, typedefs: { pid_t: "int" }, enumValues: { BPF_MAP_TYPE_HASH: 1 } });

new RuleTester({ target: "0.27", machine: kernel }).run("unknown-name", rule, {
  valid: [
    // names the kernel, the script or C itself defines
    "enum E { ONE = 1 } kprobe:f { $a = BPF_MAP_TYPE_HASH; $b = ONE; $c = (struct task_struct *)0; $d = sizeof(pid_t); $e = (char *)0; print(($a, $b, $c, $d, $e)); }",
    "struct Foo { int x; } kprobe:f { print(sizeof(struct Foo)); }",
    // a stack mode word and a macro called by its bare name
    "macro limit() { 10 } kprobe:f { @s = kstack(perf); print(limit); }",
    // an #include may define anything
    "#include <linux/sched.h>\nkprobe:f { print(nonsense); }",
  ],
  invalid: [
    {
      code: "kprobe:f { $a = nonsense; $b = (struct faketype *)0; $c = sizeof(struct faketype); print(($a, $b, $c)); }",
      errors: [
        { messageId: "unknownIdentifier", line: 1, column: 17, endLine: 1, endColumn: 25 },
        { messageId: "unknownType", line: 1, column: 33, endLine: 1, endColumn: 50 },
        { messageId: "unknownType", line: 1, column: 66, endLine: 1, endColumn: 81 },
      ],
      output: null,
    },
  ],
});

describe("unknown-name without a machine", () => {
  it("judges nothing: bt-lint's default, since a CI runner is not the host a script runs on", () => {
    const { findings } = lintText("kprobe:f { $a = nonsense; $b = (struct faketype *)0; print(($a, $b)); }", { target: "0.27" });
    expect(findings.filter((f) => f.ruleId === "unknown-name")).toEqual([]);
    const withKernel = lintText("kprobe:f { $a = nonsense; $b = (struct faketype *)0; print(($a, $b)); }", { target: "0.27", machine: kernel });
    expect(withKernel.findings.filter((f) => f.ruleId === "unknown-name")).toHaveLength(2);
  });
});
