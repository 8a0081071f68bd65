import { RuleTester } from "../rule-tester.ts";
import rule from "./nix-store-path.ts";

new RuleTester().run("nix-store-path", rule, {
  valid: ["uprobe:libc:exit { @ = count(); }", "uprobe:/usr/lib/libc.so.6:exit { @ = count(); }"],
  invalid: [
    {
      code: "uprobe:/nix/store/nq*2.40-36/lib/libc.so*:exit { @ = count(); }",
      errors: [{ messageId: "glob", line: 1, column: 8, endLine: 1, endColumn: 42, message: /`uprobe:libc:exit`/ }],
      output: null,
    },
    {
      code: "uprobe:/nix/store/nqb2ns2d1lahnd5ncwmn6k84qfd7vx2k-glibc-2.40-36/lib/libc.so.6:exit { @ = count(); }",
      errors: [{ messageId: "hardcoded", line: 1, column: 8, endLine: 1, endColumn: 79 }],
      output: null,
    },
  ],
});
