import { RuleTester } from "../rule-tester.ts";
import rule from "./invalid-cast.ts";

new RuleTester({ target: "0.27" }).run("invalid-cast", rule, {
  valid: [
    'kprobe:f { $b = (bool)"str"; $i = (uint8)arg0; $p = (int8 *)arg0; $q = (uint8 *)comm; print(($b, $i, $p, $q)); }',
    // arrays of the value's size in bytes; an integer literal fills up to 8 bytes; an array to its own type; username_t from integers
    'kprobe:f { print(((int8[8])arg0, (uint8[4])pid, (int8[6])"hello", (int16[2])"abc", (bool[8])1, (int8[4])1, (uint8[4])pton("127.0.0.1"), (username_t)uid)); }',
  ],
  invalid: [
    { code: 'kprobe:f { $x = (int32)"abc"; }', errors: [{ messageId: "cast", line: 1, column: 17, endLine: 1, endColumn: 29 }], output: null },
    {
      code: 'struct Foo { int x; } kprobe:f { print(((int8[4])arg0, (int8[2])"hello", (bool[64])1, (int8[4])(uint8[4])pid, (username_t)"root", (struct Foo)*arg0)); }',
      errors: [
        { messageId: "cast", line: 1, column: 41, endLine: 1, endColumn: 54 },
        { messageId: "cast", line: 1, column: 56, endLine: 1, endColumn: 72 },
        { messageId: "cast", line: 1, column: 74, endLine: 1, endColumn: 85 },
        { messageId: "cast", line: 1, column: 87, endLine: 1, endColumn: 109 },
        { messageId: "cast", line: 1, column: 111, endLine: 1, endColumn: 129 },
        { messageId: "cast", line: 1, column: 131, endLine: 1, endColumn: 148 },
      ],
      output: null,
    },
    // a string to a shorter string; an int16 into int32 elements of a length to be found
    { code: 'kprobe:f { $a = (string[2])"hello"; @ = (int32[])(int16)1; }', errors: [
      { messageId: "cast", line: 1, column: 17, endLine: 1, endColumn: 35 },
      { messageId: "cast", line: 1, column: 41, endLine: 1, endColumn: 58 },
    ], output: null },
    { code: "enum named { a = 1, b } kprobe:f { print((enum named)3); print((enum named)2); }", errors: [{ messageId: "enumValue", line: 1, column: 42, endLine: 1, endColumn: 55 }], output: null },
    // bpftrace casts only to the script's own enums, not to the kernel's (`enum bpf_map_type` is refused too)
    { code: "enum Foo { a = 1, b } kprobe:f { print((enum Bar)1); print((enum bpf_map_type)1); print((enum Foo *)0); print((enum Bar *)0); }", errors: [
      { messageId: "unknownEnum", line: 1, column: 41, endLine: 1, endColumn: 49 },
      { messageId: "unknownEnum", line: 1, column: 61, endLine: 1, endColumn: 78 },
    ], output: null },
  ],
});
