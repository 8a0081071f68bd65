import { RuleTester } from "../rule-tester.ts";
import rule from "./unnecessary-cast.ts";

new RuleTester({ target: "0.27" }).run("unnecessary-cast", rule, {
  valid: [
    "kprobe:f { @ = (uint32)nsecs; @b = (int64)1; @c = (struct task_struct *)arg0; }",
    { code: "kprobe:f { @ = (uint64)nsecs; }", target: "0.26" },
    // override()'s macro casts its argument to uint64 from 0.27 on: other types are converted (measured: no warning)
    "k:f { override(1); override((int64)arg0); }",
    { code: "k:f { override(arg0); }", target: "0.26" },
    // getopt() has its default's type widened to 64 bits (measured on 0.27: these do not warn)
    'begin { $x = (uint64)getopt("d", -1); $y = (int64)getopt("d", 35); $z = (uint32)getopt("d", 35); print(($x, $y, $z)); }',
  ],
  invalid: [
    { code: "kprobe:f { @ = (uint64)nsecs; }", errors: [{ messageId: "unnecessary", line: 1, column: 16, endLine: 1, endColumn: 29 }], output: null },
    { code: "kprobe:f { @ = (int8)1; }", errors: [{ messageId: "unnecessary", line: 1, column: 16, endLine: 1, endColumn: 23 }], output: null },
    // curtask is a struct task_struct * even when the kernel's definition is not known
    { code: "kprobe:f { $t = (struct task_struct *)curtask; print($t); }", errors: [{ messageId: "unnecessary", line: 1, column: 17, endLine: 1, endColumn: 46 }], output: null },
    // a kretprobe's retval is a uint64
    { code: "kretprobe:f { @ = (uint64)retval; }", errors: [{ messageId: "unnecessary", line: 1, column: 19, endLine: 1, endColumn: 33 }], output: null },
    // getopt(): uint64 for a positive default, int64 for a negative one, bool for a bool (measured on 0.27)
    { code: 'begin { $x = (uint64)getopt("d", 35); print($x); }', errors: [{ messageId: "unnecessary", message: "This value already is a uint64; the cast does nothing. Remove it.", line: 1, column: 14, endLine: 1, endColumn: 37 }], output: null },
    { code: 'begin { $x = (int64)getopt("d", -1); print($x); }', errors: [{ messageId: "unnecessary", message: "This value already is a int64; the cast does nothing. Remove it.", line: 1, column: 14, endLine: 1, endColumn: 36 }], output: null },
    { code: 'begin { $x = (bool)getopt("d", false); print($x); }', errors: [{ messageId: "unnecessary", message: "This value already is a bool; the cast does nothing. Remove it.", line: 1, column: 14, endLine: 1, endColumn: 38 }], output: null },
    // a macro of no parameters called by its bare name is expanded (tools-HEAD/opensnoop.bt's `(uint64)max_path_depth`, measured 2:30)
    { code: 'macro m() { getopt("d", 35) }\nbegin { $j = (uint64)1; $k = (uint64)m; print(($j, $k)); }', errors: [{ messageId: "unnecessary", line: 2, column: 30, endLine: 2, endColumn: 39 }], output: null },
    // override(x) of a uint64: 0.27's standard-library macro casts it to uint64 (stdlib/base.bt); warned at the call (measured 1:7, 1:26), or at the body of a probe copied per attach point (measured 3:0)
    { code: "k:f { override(arg0); }", errors: [{ messageId: "unnecessary", line: 1, column: 7, endLine: 1, endColumn: 21 }], output: null },
    { code: "k:f { $x = (uint64)arg1; override($x); }", errors: [
      { messageId: "unnecessary", line: 1, column: 12, endLine: 1, endColumn: 24 },
      { messageId: "unnecessary", line: 1, column: 26, endLine: 1, endColumn: 38 },
    ], output: null },
    { code: "kprobe:f,\nkprobe:func_1\n{\n  override(arg0);\n}", errors: [{ messageId: "unnecessary", line: 3, column: 1, endLine: 5, endColumn: 2 }], output: null },
  ],
});
