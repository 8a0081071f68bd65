import { RuleTester } from "../rule-tester.ts";
import rule from "./version-compat.ts";

new RuleTester().run("version-compat", rule, {
  valid: [
    { code: "END { delete(@m[pid]); }", target: "0.17" },
    { code: "END { delete(@m, pid); }", target: "0.27" },
    { code: "t:a:b { @x = args.f; }", target: "0.21" },
    { code: "t:a:b { @x = args->f; }", target: "0.17" },
    { code: "BEGIN { $s = (str_t[4])$x; }", target: "0.21" },
  ],
  invalid: [
    {
      name: "two-argument delete before 0.22 → delete(@m[k])",
      code: "END { delete(@start_times, pid); }",
      target: "0.17",
      errors: [{ messageId: "deleteTwoArgs", line: 1, column: 7, endLine: 1, endColumn: 32 }],
      output: "END { delete(@start_times[pid]); }",
    },
    {
      name: "tuple key before 0.22",
      code: "END { delete(@m, (pid, comm)); }",
      target: "0.21",
      errors: [{ messageId: "deleteTwoArgs", line: 1, column: 7, endLine: 1, endColumn: 30 }],
      output: "END { delete(@m[pid, comm]); }",
    },
    {
      name: "indexed delete deprecated since 0.22",
      code: "END { delete(@m[1, 2]); }",
      target: "0.27",
      errors: [{ messageId: "deleteIndexed", severity: "info", line: 1, column: 7, endLine: 1, endColumn: 23 }],
      output: "END { delete(@m, (1, 2)); }",
    },
    {
      code: "t:a:b { @x = args->f; }",
      target: "0.21",
      errors: [{ messageId: "argsArrow", severity: "info", line: 1, column: 14, endLine: 1, endColumn: 21 }],
      output: "t:a:b { @x = args.f; }",
    },
    {
      code: "t:a:b { @x = args.f; }",
      target: "0.18",
      errors: [{ messageId: "argsDot", line: 1, column: 14, endLine: 1, endColumn: 20 }],
      output: "t:a:b { @x = args->f; }",
    },
    {
      code: "BEGIN { $i = 0; while ($i < 3) { $i++; } }",
      target: "0.25",
      errors: [{ messageId: "parser", severity: "warning", line: 1, column: 17, endLine: 1, endColumn: 41 }],
      output: null,
    },
    {
      code: "BEGIN { $s = (str_t[4])$x; }",
      target: "0.22",
      errors: [{ messageId: "typeRenamed", line: 1, column: 15, endLine: 1, endColumn: 20 }],
      output: "BEGIN { $s = (string[4])$x; }",
    },
    {
      name: "a new type name before the rename gets the old one back",
      code: "BEGIN { $s = (string[4])$x; }",
      target: "0.21",
      errors: [{ messageId: "typeTooNew", message: "Type `string` needs bpftrace 0.22 (targeting 0.21); it was called `str_t` before.", line: 1, column: 15, endLine: 1, endColumn: 21 }],
      output: "BEGIN { $s = (str_t[4])$x; }",
    },
    {
      name: "renames come from the language data, with their own release (username → username_t in 0.24)",
      code: "BEGIN { $s = (username)$x; }",
      target: "0.24",
      errors: [{ messageId: "typeRenamed", message: "Type `username` was renamed `username_t` in bpftrace 0.24.", line: 1, column: 15, endLine: 1, endColumn: 23 }],
      output: "BEGIN { $s = (username_t)$x; }",
    },
    {
      code: "BEGIN { for ($kv : @m) { exit(); } }",
      target: "0.25",
      errors: [{ messageId: "exitInLoop", line: 1, column: 26, endLine: 1, endColumn: 32 }],
      output: null,
    },
    {
      name: "parser-reported syntax the release lacks (let before 0.22)",
      code: "BEGIN { let $x = 1; }",
      target: "0.21",
      errors: [{ messageId: "parser", line: 1, column: 9, endLine: 1, endColumn: 20 }],
      output: null,
    },
  ],
});
