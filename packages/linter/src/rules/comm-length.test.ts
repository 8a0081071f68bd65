import { RuleTester } from "../rule-tester.ts";
import rule from "./comm-length.ts";

new RuleTester().run("comm-length", rule, {
  valid: ['k:f /comm == "systemd-journal"/ { @ = count(); }'],
  invalid: [
    {
      code: 'k:f /comm == "systemd-journald"/ { @ = count(); }',
      errors: [{ messageId: "tooLong", line: 1, column: 14, endLine: 1, endColumn: 32, message: /truncates the name to "systemd-journal"/ }],
      output: null,
    },
  ],
});
