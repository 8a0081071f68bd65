import { RuleTester } from "../rule-tester.ts";
import rule from "./map-keys.ts";

new RuleTester({ target: "0.27" }).run("map-keys", rule, {
  valid: [
    // `@x[1, 2]` and `@x[(3, 4)]` are the same key; `print(@x)` prints the whole map
    "begin { @x[1, 2] = 0; @x[(3, 4)] = 1; print(@x); }",
    'begin { @g[1, "hi"] = 2; if (has_key(@g, (1, "x"))) { print(1); } delete(@g, (2, "y")); }',
  ],
  invalid: [
    // the key given to has_key() is compared with the map's keys (corpus runtime/basic__has_key_error_type_mismatch.bt)
    { code: 'begin { @g[1, "hi"] = 2; if (has_key(@g, (1, 2))) { print(1); } }', errors: [{ messageId: "keyType", line: 1, column: 42, endLine: 1, endColumn: 48 }], output: null },
    { code: "kprobe:f { @x = 1; @y = 5; delete(@x, @y); }", errors: [{ messageId: "scalarCall", line: 1, column: 35, endLine: 1, endColumn: 37 }], output: null },
    { code: "begin { @g = 2; if (has_key(@g, 2)) { print(1); } }", errors: [{ messageId: "scalarCall", line: 1, column: 29, endLine: 1, endColumn: 31 }], output: null },
    { code: "begin { @x[1] = 0; @x = 1; }", errors: [{ messageId: "scalarAndKeyed", line: 1, column: 20, endLine: 1, endColumn: 22 }], output: null },
    { code: 'kprobe:f { @x["a"] = 1; @x[1] = 2; }', errors: [{ messageId: "keyType", line: 1, column: 25, endLine: 1, endColumn: 30 }], output: null },
    // a negative literal keys the map by int64: a literal beyond int64 does not fit (a positive one could be either sign)
    { code: "kprobe:f { @x[-1] = 1; @x[10223372036854775807] = 2; @y[1] = 1; @y[10223372036854775807] = 2; }", target: "0.27", errors: [{ messageId: "keyType", line: 1, column: 24, endLine: 1, endColumn: 48 }], output: null },
    { code: "begin { @map = 1; for ($kv : @map) { } }", target: "0.27", errors: [{ messageId: "scalarLoop", line: 1, column: 30, endLine: 1, endColumn: 34 }], output: null },
  ],
});
