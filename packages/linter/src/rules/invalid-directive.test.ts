import { describe, expect, it } from "vitest";
import { lintText } from "../lint.ts";
import { RuleTester } from "../rule-tester.ts";
import rule from "./invalid-directive.ts";

new RuleTester().run("invalid-directive", rule, {
  valid: ["// bt-lint-disable-next-line variable-unused\nBEGIN { }"],
  invalid: [
    { code: "// bt-lint-disable-next-line no-such-rule\nBEGIN { }", errors: [{ messageId: "unknown", line: 1, column: 30, endLine: 1, endColumn: 42 }], output: null },
  ],
});

describe("directives suppress findings", () => {
  const unused = (code: string) => lintText(code).findings.filter((f) => f.ruleId === "variable-unused").map((f) => f.range.start.line);
  it("disable-next-line, disable-line, disable/enable, disable-file", () => {
    expect(unused("k:f {\n  $a = 1;\n}")).toEqual([2]);
    expect(unused("k:f {\n  // bt-lint-disable-next-line variable-unused\n  $a = 1;\n}")).toEqual([]);
    expect(unused("k:f {\n  // bt-lint-disable-next-line comm-length\n  $a = 1;\n}")).toEqual([3]);
    expect(unused("k:f {\n  /* bt-lint-disable variable-unused */\n  $a = 1;\n  // bt-lint-enable variable-unused\n  $b = 1;\n}")).toEqual([5]);
    expect(unused("// bt-lint-disable-file variable-unused\nk:f {\n  $a = 1;\n}")).toEqual([]);
    expect(unused("k:f {\n  $a = 1; // bt-lint-disable-line variable-unused\n  $b = 1;\n}")).toEqual([3]);
    // without rule ids a directive applies to every rule
    expect(unused("k:f {\n  // bt-lint-disable-next-line\n  $a = 1;\n}")).toEqual([]);
  });
});
