import { RuleTester } from "../rule-tester.ts";
import rule from "./call-arguments.ts";

new RuleTester().run("call-arguments", rule, {
  valid: [
    { code: 'kprobe:f { @s[1] = stats(2); print(@s[1]); $b = buf(arg0, 8); $c = buf(((struct S *)arg0)->a); print(($b, $c)); }', target: "0.27" },
    { code: 'kprobe:f { system("ls"); }', target: "0.27", unsafe: true },
    { code: "kprobe:f { @a[1] = 1; @b = 1; delete(@a, 1); delete(@b); print(@a, 3, 5); print(1); }", target: "0.27" },
    'kprobe:f { ntop(arg0); ntop(2, "abc"); ntop(comm); ntop(pton("::1")); ntop(pton("10.0.0.1")); @a = tseries(1, 10s, 5, "avg"); }',
    // bpftrace's TypeCheckerTest.builtin_functions and the stdlib's own call of its C helper
    { code: "kprobe:f { @x = 1; @y[1] = 1; $a = is_scalar(@x); $b = is_scalar(@y); print(($a, $b)); }", target: "0.27" },
    { code: "begin { $a = 1; $b = 1; print(__memcmp((int8*)&$a, (int8*)&$b, 8)); }", target: "0.27" },
    "kprobe:f { @ = lhist(arg2, 0, 100, 10); @h = hist(arg0, 2); $s = str(arg0); }",
    // an aggregation as the value of a block expression assigned to a map (corpus runtime/call__block_expression_with_map_assignment.bt)
    { code: "begin { @ = { let $a = 100; avg($a) }; }", target: "0.27" },
    // functions may come from an imported module (corpus runtime/interop__interop_return_types.bt)
    { code: 'import "stdlib/test"; begin { print(__always_true()); }', target: "0.27" },
  ],
  invalid: [
    // stack arguments (TypeCheckerTest.call_stack): a mode word, then an integer literal
    {
      code: "kprobe:f { @a = kstack(3, perf); @b = ustack(bob); }",
      target: "0.27",
      errors: [
        { messageId: "stackMode", line: 1, column: 24, endLine: 1, endColumn: 25 },
        { messageId: "stackLimit", line: 1, column: 27, endLine: 1, endColumn: 31 },
        { messageId: "stackMode", line: 1, column: 46, endLine: 1, endColumn: 49 },
      ],
      output: null,
    },
    { code: "kprobe:f { @s = stats(arg0); print(@s, 5, 2); }", target: "0.27", errors: [{ messageId: "printStats", line: 1, column: 30, endLine: 1, endColumn: 45, severity: "warning" }], output: null },
    {
      code: "begin { $i = pid(curr_ns, curr_ns); $n = nsecs(xxx); }",
      target: "0.27",
      errors: [
        { messageId: "builtinArguments", line: 1, column: 14, endLine: 1, endColumn: 35 },
        { messageId: "builtinArguments", line: 1, column: 48, endLine: 1, endColumn: 51 },
      ],
      output: null,
    },
    { code: 'kprobe:f { fail("always fail"); }', target: "0.27", errors: [{ messageId: "fail", line: 1, column: 12, endLine: 1, endColumn: 31 }], output: null },
    {
      code: 'begin { $a = getopt("hello", 1); $b = getopt("hello", "bye"); $c = getopt(10); }',
      target: "0.27",
      errors: [
        { messageId: "getoptDefault", line: 1, column: 55, endLine: 1, endColumn: 60 },
        { messageId: "argumentType", line: 1, column: 75, endLine: 1, endColumn: 77 },
      ],
      output: null,
    },
    { code: "kprobe:f { @ = str(arg0, -3); }", target: "0.27", errors: [{ messageId: "argumentRange", line: 1, column: 26, endLine: 1, endColumn: 28 }], output: null },
    // argument types bpftrace's type checker refuses (TypeCheckerTest.call_usym, call_kaddr, call_strncmp)
    { code: 'kprobe:f { @ = usym("hello"); }', target: "0.27", errors: [{ messageId: "argumentType", line: 1, column: 21, endLine: 1, endColumn: 28 }], output: null },
    {
      code: 'kprobe:f { @ = kaddr(1); @x = strncmp("a", "b", arg0); }',
      target: "0.27",
      errors: [
        { messageId: "argumentType", line: 1, column: 22, endLine: 1, endColumn: 23 },
        { messageId: "argumentType", line: 1, column: 49, endLine: 1, endColumn: 53 },
      ],
      output: null,
    },
    { code: "kprobe:f { @ = lhist(arg2, 100, 0, 10); }", errors: [{ messageId: "lhistRange", line: 1, column: 16, endLine: 1, endColumn: 39 }], output: null },
    { code: "kprobe:f { @ = hist(arg2, 9); }", errors: [{ messageId: "histBits", line: 1, column: 27, endLine: 1, endColumn: 28 }], output: null },
    { code: "kprobe:f { $s = str(comm); }", errors: [{ messageId: "strOfString", line: 1, column: 21, endLine: 1, endColumn: 25, severity: "warning" }], output: null },
    { code: "begin { $x = { let $a = 100; avg($a) }; }", target: "0.27", errors: [{ messageId: "aggregationPlace", line: 1, column: 30, endLine: 1, endColumn: 37 }], output: null },
    { code: "begin { print(no_such_fn()); }", target: "0.27", errors: [{ messageId: "unknown", line: 1, column: 15, endLine: 1, endColumn: 25 }], output: null },
    { code: "kprobe:f { $s = str(4096); }", errors: [{ messageId: "strOfLiteral", line: 1, column: 21, endLine: 1, endColumn: 25, severity: "warning" }], output: null },
    { code: 'kprobe:f { @a = tseries(1, 10s, 5, "stats"); @b = tseries(1, 10s, -1); }', target: "0.27", errors: [
      { messageId: "argumentValue", line: 1, column: 36, endLine: 1, endColumn: 43 },
      { messageId: "argumentRange", line: 1, column: 67, endLine: 1, endColumn: 69 },
    ], output: null },
    { code: 'kprobe:f { $a = pton(":"); $b = pton("01.2.3.4"); ntop(2, "hello"); print(($a, $b)); }', target: "0.27", errors: [
      { messageId: "argumentValue", line: 1, column: 22, endLine: 1, endColumn: 25 },
      { messageId: "argumentValue", line: 1, column: 38, endLine: 1, endColumn: 48 },
      { messageId: "argumentValue", line: 1, column: 59, endLine: 1, endColumn: 66 },
    ], output: null },
    // functions taking maps: some form must fit (another release's form is version-compat's)
    { code: "kprobe:f { clear(1); @a[1] = 1; delete(1); delete(@a, @a[1], @a[2]); print(@a[1], 3, 5); }", target: "0.27", errors: [
      { messageId: "noSignature", line: 1, column: 12, endLine: 1, endColumn: 20 },
      { messageId: "noSignature", line: 1, column: 33, endLine: 1, endColumn: 42 },
      { messageId: "noSignature", line: 1, column: 44, endLine: 1, endColumn: 68 },
      { messageId: "noSignature", line: 1, column: 70, endLine: 1, endColumn: 88 },
    ], output: null },
    { code: 'kprobe:f { system("ls"); }', target: "0.27", unsafe: false, errors: [{ messageId: "unsafe", line: 1, column: 12, endLine: 1, endColumn: 18 }], output: null },
    { code: 'kprobe:f { print(strftime("%H", nsecs(monotonic))); print(strftime("%H", nsecs(boot))); }', target: "0.27", errors: [{ messageId: "argumentValue", line: 1, column: 33, endLine: 1, endColumn: 49 }], output: null },
  ],
});

new RuleTester().run("call-arguments", rule, {
  valid: ['BEGIN { printf("%d\\n", 1); }'],
  invalid: [
    { name: "unknown function (0.27)", code: "BEGIN { frobnicate(1); }", errors: [{ messageId: "unknown", line: 1, column: 9, endLine: 1, endColumn: 19 }], output: null },
    { name: "arity", code: "BEGIN { @x = strncmp(\"a\", \"b\"); }", errors: [{ messageId: "arity", line: 1, column: 14, endLine: 1, endColumn: 31 }], output: null },
    { name: "aggregation outside a map assignment", code: "BEGIN { $x = count(); }", errors: [{ messageId: "aggregationPlace", line: 1, column: 14, endLine: 1, endColumn: 21 }], output: null },
    // measured on bpftrace 0.27: buf() needs a length after a non-array, print() of one element of a hist map, len() of an element, tseries() bounds, stack arity, namespace words
    { code: 'kprobe:f { $b = buf(comm); @h[1] = hist(2); print(@h[1]); @c[1] = count(); $n = len(@c[1]); @t = tseries(1, 0, 1000000); $k = kstack(perf, 3, 4); $i = tid(1); print(($b, $n, $k, $i)); }', target: "0.27", errors: [
      { messageId: "argumentValue", line: 1, column: 17, endLine: 1, endColumn: 26 },
      { messageId: "argumentValue", line: 1, column: 51, endLine: 1, endColumn: 56 },
      { messageId: "argumentValue", line: 1, column: 85, endLine: 1, endColumn: 90 },
      { messageId: "argumentRange", line: 1, column: 109, endLine: 1, endColumn: 110 },
      { messageId: "argumentValue", line: 1, column: 112, endLine: 1, endColumn: 119 },
      { messageId: "builtinArguments", line: 1, column: 127, endLine: 1, endColumn: 145 },
      { messageId: "builtinArguments", line: 1, column: 156, endLine: 1, endColumn: 157 },
    ], output: null },
  ],
});
