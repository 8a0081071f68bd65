import { RuleTester } from "../rule-tester.ts";
import rule from "./hardcoded-pid.ts";

new RuleTester().run("hardcoded-pid", rule, {
  valid: ["uprobe:/proc/$1/exe:MD5Init { @ = count(); }", "uprobe:/usr/bin/dhcpcd:MD5Init { @ = count(); }"],
  invalid: [
    { code: "uprobe:/proc/1531/exe:MD5Init { @ = count(); }", errors: [{ messageId: "pid", line: 1, column: 8, endLine: 1, endColumn: 22 }], output: null },
  ],
});
