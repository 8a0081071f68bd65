import { RuleTester } from "../rule-tester.ts";
import rule from "./empty-positional-parameter.ts";

new RuleTester({ target: "0.27" }).run("empty-positional-parameter", rule, {
  valid: [
    // without the run's parameters nothing is known about them
    "kprobe:f { printf(\"%d\\n\", $3); }",
    { code: "kprobe:f { printf(\"%d %s\\n\", $1, $2); }", positionalParameters: ["1", "hello"] },
    // str($N) is how an optional parameter is read
    { code: "kprobe:f { printf(\"%s\\n\", str($3)); }", positionalParameters: ["1", "hello"] },
  ],
  invalid: [
    { code: "kprobe:f { printf(\"%d %s\\n\", $1, $3); }", positionalParameters: ["1", "hello"], errors: [{ messageId: "empty", line: 1, column: 34, endLine: 1, endColumn: 36 }], output: null },
  ],
});
