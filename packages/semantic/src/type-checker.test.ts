import { parse, type Expression, type Node } from "@bt/parser";
import { walk } from "@bt/parser";
import { describe, expect, it } from "vitest";
import { buildModel, checkTypes, typeName, withRun, type TypeSource } from "./index.ts";

function typesIn(code: string, target = "0.27", source?: TypeSource) {
  const { ast } = parse(code, { target });
  const model = buildModel(ast, target);
  const result = source ? checkTypes(model, source) : model.types;
  const byText = (text: string) => {
    let found: Expression | undefined;
    walk(ast, (n: Node) => {
      if (!found && "range" in n && code.slice(n.range.start.offset, n.range.end.offset) === text && n.type !== "ExpressionStatement") found = n as Expression;
    });
    if (!found) throw new Error(`no node ${text}`);
    return typeName(result.typeOf(found));
  };
  const mapType = (name: string) => {
    const t = result.mapValueType(name);
    return t ? typeName(t) : undefined;
  };
  return { byText, mapType, problems: result.problems.map((p) => `${p.code}@${p.node.range.start.line}:${p.node.range.start.column}`) };
}

describe("type checker", () => {
  it("types literals as bpftrace 0.26+ does: the smallest signed type, sized strings", () => {
    const t = typesIn('begin { @a = 1; @b = 1000; @c = -1; @d = "abc"; @e = (1, "x"); }');
    expect([t.byText("1"), t.byText("1000"), t.byText("-1"), t.byText('"abc"'), t.byText('(1, "x")')]).toEqual(["int8", "int16", "int8", "string[4]", "(int8,string[2])"]);
  });

  it("gives builtins their data types and follows variables and maps", () => {
    const t = typesIn("kprobe:f { $s = nsecs; @start[tid] = $s; $d = nsecs - @start[tid]; @pid = pid; }");
    expect(t.byText("nsecs - @start[tid]")).toBe("int64");
    expect(t.mapType("@start")).toBe("uint64");
    expect(t.byText("pid")).toBe("uint32");
  });

  it("reads the script's own structs and never judges types from the kernel", () => {
    const t = typesIn("struct Foo { int a; char *name; } kprobe:f { @x = ((struct Foo *)arg0)->a; @y = curtask->pid; @z = args.foo; }");
    expect(t.byText("((struct Foo *)arg0)->a")).toBe("int32");
    expect(t.byText("curtask->pid")).toBe("unknown");
    expect(t.problems).toEqual([]);
  });

  it("takes struct types from a TypeSource when one is given", () => {
    const source: TypeSource = { namedType: (tag, name) => (name === "task_struct" ? { k: "struct", tag: "struct", name, fields: new Map([["pid", { k: "int", signed: true, bits: 32 }]]) } : undefined) };
    const t = typesIn("kprobe:f { @p = ((struct task_struct *)arg0)->pid; @q = ((struct task_struct *)arg0)->nope; }", "0.27", source);
    expect(t.byText("((struct task_struct *)arg0)->pid")).toBe("int32");
    expect(t.problems).toEqual(["unknown-field@1:57"]);
  });

  it("refuses names that exist nowhere only when the TypeSource knows the kernel's types and enums", () => {
    const kernel: TypeSource = {
      kernelTypeExists: (tag, name) => name === "task_struct" && tag !== "union" && tag !== "enum",
      kernelEnumValueExists: (name) => name === "BPF_MAP_TYPE_HASH",
    };
    const code =
      "enum E { A } kprobe:f { $a = nonsense; $b = BPF_MAP_TYPE_HASH; $c = A; $d = (struct faketype *)0; $e = (struct task_struct *)0; $f = (faketype *)0; " +
      "@g = offsetof(__passident__, x); @h = sizeof(BPF_MAP_TYPE_HASH); @i = sizeof(task_struct); @j = (union task_struct *)0; print(kstack(nonsense)); }";
    expect(typesIn(code, "0.27", kernel).problems).toEqual([
      "unknown-identifier@1:30",
      "unknown-type@1:78",
      "unknown-type@1:135",
      "unknown-type@1:163",
      "unknown-type@1:246",
      "stack-mode@1:282",
    ]);
    // Without a TypeSource that can tell, nothing is judged; a script that may define the names itself is not judged either.
    expect(typesIn(code).problems).toEqual(["stack-mode@1:282"]);
    expect(typesIn(code, "0.27", { kernelTypeExists: () => undefined, kernelEnumValueExists: () => undefined }).problems).toEqual(["stack-mode@1:282"]);
    expect(typesIn("struct faketype { int x; } kprobe:f { $f = (faketype *)0; $n = (struct faketype *)0; }", "0.27", kernel).problems).toEqual([]);
    expect(typesIn("#include <linux/x.h>\nkprobe:f { $a = nonsense; $f = (faketype *)0; }", "0.27", kernel).problems).toEqual([]);
    expect(typesIn("uprobe:/bin/x:f { $f = (struct Foo *)arg0; $n = nonsense; }", "0.27", kernel).problems).toEqual([]);
    // C's own type names; a macro called by its bare name; a macro parameter standing for a type (the corpus's programs bpftrace accepts).
    expect(typesIn("macro one() { 1 } macro m(t) { sizeof(t) + 2 } begin { $d = (char)1; $e = (unsigned *)0; $a = one; @s = perf; print(m(typeof(uint64*))); }", "0.27", kernel).problems).toEqual([]);
  });

  it("refuses a cast to an enum the script does not define, whatever the kernel has (bpftrace reads no kernel enum for casts)", () => {
    expect(typesIn("enum Foo { a = 1, b } kprobe:f { print((enum Bar)1); print((enum Foo)1); print((enum Bar *)0); }").problems).toEqual(["unknown-enum@1:41"]);
    // A C definition naming the enum makes bpftrace read it from BTF; a preprocessor line may define it.
    expect(typesIn("struct X { enum bpf_map_type t; } kprobe:f { print((enum bpf_map_type)1); }").problems).toEqual([]);
    expect(typesIn("#include <linux/bpf.h>\nkprobe:f { print((enum bpf_map_type)1); }").problems).toEqual([]);
  });

  it("records what bpftrace refuses, with a code per kind of problem", () => {
    expect(typesIn('kprobe:f { $x = 1; $x = "a"; @m = printf("x"); }').problems).toEqual(["variable-type@1:25", "void-value@1:35"]);
  });

  it("follows the branch of an `if comptime` it can evaluate, and skips both of one it cannot", () => {
    expect(typesIn("kprobe:f { @a[1] = 1; if (comptime true) { @a = 1; } }").problems).toEqual(["map-scalar-and-keyed@1:44"]);
    expect(typesIn("kprobe:f { @a[1] = 1; if comptime !1 { @a = 1; } else { @a[2] = 2; } }").problems).toEqual([]);
    expect(typesIn("kprobe:f { @a[1] = 1; if comptime !1 { @a[2] = 2; } else { @a = 1; } }").problems).toEqual(["map-scalar-and-keyed@1:60"]);
    expect(typesIn("kprobe:f { @a[1] = 1; if (comptime is_scalar(@a)) { @a = 1; } }").problems).toEqual([]);
  });

  it("refuses run-time values in comptime and map assignments in type queries", () => {
    expect(typesIn("begin { $x = 0; @x = 0; $a = comptime ($x + 1); $b = comptime (@x + sizeof($x)); $c = comptime (sizeof(@x) + 1) }").problems).toEqual([
      "comptime-runtime@1:30",
      "comptime-runtime@1:54",
    ]);
    expect(typesIn("begin { let $b : typeof({ @a = 1; 1 }) = 1; print(sizeof({ @c = 1; 1 })); }").problems).toEqual(["type-query-map-assignment@1:27", "type-query-map-assignment@1:60"]);
  });

  it("reads char arrays as strings with room for the NUL, byte arrays as integers, flexible members as no type; pton() as bytes", () => {
    const t = typesIn('struct S { char c[8]; unsigned char u[4]; void *p; int y[]; } kprobe:f { $s = (struct S *)arg0; @c = $s->c; @u = $s->u; @p = $s->p; $y = $s->y; $a = pton("10.0.0.1"); $b = pton("::1"); print(($a, $b)); }');
    expect(["$s->c", "$s->u", "$s->p", "$s->y", 'pton("10.0.0.1")', 'pton("::1")'].map(t.byText)).toEqual(["string[9]", "uint8[4]", "void *", "void", "uint8[4]", "uint8[16]"]);
  });

  it("reads a map given as another map's key as a value, and checks the forms of functions taking maps", () => {
    expect(typesIn("kprobe:f { @a[1] = 1; delete(@a, @a); print(@a); }").problems).toEqual(["map-scalar-and-keyed@1:34", "discarded-value@1:23"]);
    expect(typesIn("kprobe:f { @x[0] = 1; delete(@x, @x[0], @x[1]); has_key(1, 2); }").problems).toEqual(["no-signature@1:23", "discarded-value@1:23", "no-signature@1:49", "discarded-value@1:49"]);
  });

  it("expands macro calls: the body is checked with each parameter holding its argument's type", () => {
    const t = typesIn('macro add2($x) { $y = $x + 1; $y } macro add1($x) { add2($x) } begin { $a = "string"; add1($a); $b = add1(1); print($b); }');
    expect(t.problems).toEqual(["operand-type@1:23"]);
    expect(t.byText("add1(1)")).toBe("int64");
    // a bare-word parameter is replaced by its argument: what concerns it is reported at the argument
    const words = typesIn("macro lat(start) { (nsecs - start) / 1000 } kprobe:f { @s[tid] = nsecs; } kretprobe:f { $l = lat(@s[tid]); print($l); }");
    expect(words.problems).toEqual(["implicit-cast@1:21", "implicit-cast@1:98", "signed-division@1:20"]);
    // a macro taking a map is expanded when given the map of its own name; with another map, or another number of arguments, it is not
    expect(typesIn("macro m(@x) { @x + 1 } begin { @a = 1; $b = m(@a); $c = m(1, 2); print(($b, $c)); }").problems).toEqual([]);
    expect(typesIn('macro m(@x) { @x + 1 } begin { @x = "s"; $b = m(@x); print($b); }').problems).toEqual(["operand-type@1:15"]);
  });

  it("follows the release: literals sized from 0.26 (64-bit before), `-` of unsigned values signed from 0.26, bool from 0.24", () => {
    const code = "kprobe:f { @a = 1; @b = true; @c = nsecs - nsecs; }";
    const [at27, at25, at23] = ["0.27", "0.25", "0.23"].map((r) => typesIn(code, r));
    expect(["1", "true", "nsecs - nsecs"].map(at27.byText)).toEqual(["int8", "bool", "int64"]);
    expect(["1", "true"].map(at25.byText)).toEqual(["int64", "bool"]);
    expect(at23.byText("true")).toBe("uint64");
  });

  it("types $N from the run's positional parameters when they are known, and warns about one not given", () => {
    const code = "kprobe:f { $a = $1; $b = $2; $c = $3; $d = $4; print(($a, $b, $c, $d, str($5))); }";
    const t = typesIn(code, "0.27", withRun(undefined, { positionalParameters: ["123", "hello", "0x10"] }));
    expect(["$1", "$2", "$3", "$4"].map(t.byText)).toEqual(["int8", "string[6]", "int8", "unknown"]);
    expect(t.problems).toEqual(["empty-positional@1:44"]);
    expect(typesIn(code).byText("$2")).toBe("unknown");
  });

  it("refuses unsafe functions when the run is known to be without --unsafe", () => {
    const code = 'kprobe:f { system("ls"); }';
    expect(typesIn(code, "0.27", withRun(undefined, { unsafe: false })).problems).toEqual(["unsafe-call@1:12"]);
    expect(typesIn(code, "0.27", withRun(undefined, { unsafe: true })).problems).toEqual([]);
    expect(typesIn(code).problems).toEqual([]);
  });
});
