import { RuleTester } from "../rule-tester.ts";
import rule from "./field-access.ts";

new RuleTester({ target: "0.27" }).run("field-access", rule, {
  valid: [
    // curtask's struct comes from the kernel: its fields are not known, so not checked
    "struct Foo { int a; } kprobe:f { @x = ((struct Foo *)arg0)->a; @y = curtask->pid; $t = (1, 2); @z = $t.1; }",
  ],
  invalid: [
    { code: "kprobe:f { $s = arg0; @x = $s->y; }", errors: [{ messageId: "noFields", line: 1, column: 28, endLine: 1, endColumn: 33 }], output: null },
    { code: "struct Foo { int a; } kprobe:f { @x = ((struct Foo *)arg0)->b; }", errors: [{ messageId: "unknownField", line: 1, column: 39, endLine: 1, endColumn: 62 }], output: null },
    { code: "kprobe:f { $t = (1, 2); @x = $t.2; }", errors: [{ messageId: "tupleIndex", line: 1, column: 33, endLine: 1, endColumn: 34 }], output: null },
    { code: "kprobe:f { $x = 1; @y = $x[0]; }", errors: [{ messageId: "index", line: 1, column: 25, endLine: 1, endColumn: 30 }], output: null },
    // a `void *` has elements of no size; a flexible array member has no type at all
    { code: "struct S { void *p; int y[]; } kprobe:f { $s = (struct S *)arg0; $a = $s->p[1]; @y = $s->y[0]; }", errors: [
      { messageId: "index", line: 1, column: 71, endLine: 1, endColumn: 79 },
      { messageId: "index", line: 1, column: 86, endLine: 1, endColumn: 94 },
    ], output: null },
    // offsetof() follows the script's structs, nested definitions included, but never a pointer
    { code: "struct Foo { struct Bar { int a; } *bar; struct Baz { int b; } baz; } begin { @x = offsetof(struct Foo, baz.b) + offsetof(struct Foo, bar.a) + offsetof(struct Foo, baz.c); }", errors: [
      { messageId: "offsetofField", line: 1, column: 139, endLine: 1, endColumn: 140 },
      { messageId: "unknownField", line: 1, column: 169, endLine: 1, endColumn: 170 },
    ], output: null },
    // a string is as long as its bytes with the terminating NUL
    { code: 'kprobe:f { $x = "foo"; $a = $x[3]; $b = $x[4]; print(($a, $b)); }', errors: [{ messageId: "index", line: 1, column: 44, endLine: 1, endColumn: 45 }], output: null },
  ],
});
