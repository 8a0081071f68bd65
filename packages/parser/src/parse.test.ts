import { describe, expect, it } from "vitest";
import { parse, type Expression, type Node, type Probe, type Statement } from "./index.ts";
import { btParser } from "./grammar.ts";

/** The AST without ranges, for structural comparisons. */
function strip(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (key, value) => (key === "range" ? undefined : value)));
}

function firstProbe(text: string, target?: string): Probe {
  const { ast } = parse(text, { target });
  const probe = ast.body.find((n) => n.type === "Probe");
  if (!probe || probe.type !== "Probe") throw new Error("no probe");
  return probe;
}

function statement(body: string): Statement {
  return firstProbe(`BEGIN { ${body} }`).body.statements[0];
}

function expression(text: string): Expression {
  const st = statement(`$r = ${text};`);
  if (st.type !== "Assignment") throw new Error(`not an assignment: ${st.type}`);
  return st.value;
}

/** Expression as a fully parenthesised string, to check precedence and associativity. */
function shape(e: Node): string {
  switch (e.type) {
    case "BinaryExpression":
      return `(${shape(e.left)} ${e.operator} ${shape(e.right)})`;
    case "UnaryExpression":
      return `(${e.operator}${shape(e.operand)})`;
    case "TernaryExpression":
      return `(${shape(e.test)} ? ${e.consequent ? shape(e.consequent) : ""} : ${shape(e.alternate)})`;
    case "Cast":
      return `(cast ${e.typeRef.type === "NamedType" ? e.typeRef.name + "*".repeat(e.typeRef.suffixes.length) : "typeof"} ${shape(e.operand)})`;
    case "FieldAccess":
      return `${shape(e.object)}${e.arrow ? "->" : "."}${e.field.name}`;
    case "Parenthesized":
      return `[${shape(e.expression)}]`;
    case "Variable":
    case "MapRef":
      return e.name;
    case "Identifier":
    case "Builtin":
      return e.name;
    case "IntegerLiteral":
      return e.raw;
    case "Call":
      return `${e.callee.name}(${e.args.map(shape).join(", ")})`;
    default:
      return e.type;
  }
}

describe("expressions", () => {
  it.each([
    ["1 + 2 * 3", "(1 + (2 * 3))"],
    ["1 - 2 - 3", "((1 - 2) - 3)"],
    ["$a & $b == 0", "($a & ($b == 0))"],
    ["$a << 1 < $b", "(($a << 1) < $b)"],
    ["!$a == 0", "((!$a) == 0)"],
    ["$a || $b && $c", "($a || ($b && $c))"],
    ["$a ? $b : $c ? 1 : 2", "($a ? $b : ($c ? 1 : 2))"],
    ["$a ?: 5", "($a ?  : 5)"],
    ["*$p + 1", "((*$p) + 1)"],
    ["(struct task_struct *)arg0->pid", "(cast task_struct* arg0->pid)"],
    ["(uint64)arg0 + 1", "((cast uint64 arg0) + 1)"],
    ["(pid) - 1", "([pid] - 1)"],
    ["(cpu) - 1", "(cast cpu (-1))"],
    ["(arg1) * arg0", "([arg1] * arg0)"],
  ])("%s parses as %s", (text, expected) => {
    expect(shape(expression(text))).toBe(expected);
  });

  it("tells tuples, records, grouping and the empty tuple apart", () => {
    expect(expression("(1, 2)").type).toBe("TupleExpression");
    expect(expression("(1,)")).toMatchObject({ type: "TupleExpression", trailingComma: true });
    expect(expression("()")).toMatchObject({ type: "TupleExpression", elements: [] });
    expect(expression("(a = 1, b = \"x\")")).toMatchObject({ type: "RecordExpression", fields: [{ name: { name: "a" } }, { name: { name: "b" } }] });
    expect(expression("(1)").type).toBe("Parenthesized");
  });

  it("keeps literal spellings and values", () => {
    expect(expression("1_000")).toMatchObject({ type: "IntegerLiteral", raw: "1_000", value: "1000" });
    expect(expression("5ms")).toMatchObject({ raw: "5ms", value: "5000000", suffix: "ms" });
    expect(expression('"a\\tb"')).toMatchObject({ type: "StringLiteral", raw: '"a\\tb"', value: "a\tb" });
  });

  it("turns parser builtins into Builtin nodes and stdlib names into identifiers", () => {
    expect(expression("pid")).toMatchObject({ type: "Builtin", name: "pid" });
    expect(expression("arg3")).toMatchObject({ type: "Builtin", name: "arg3" });
    expect(expression("comm")).toMatchObject({ type: "Identifier", name: "comm" });
    expect(expression("sarg12")).toMatchObject({ type: "Builtin", name: "sarg12" });
    expect(expression("xarg1")).toMatchObject({ type: "Identifier", name: "xarg1" });
    expect(expression("arg")).toMatchObject({ type: "Identifier", name: "arg" });
  });
});

describe("statements", () => {
  it("reads assignments, compound assignments, updates and map keys", () => {
    expect(strip(statement("@m[pid, comm] += 1;"))).toMatchObject({
      type: "Assignment",
      operator: "+=",
      target: { type: "MapAccess", map: { name: "@m" }, keys: [{ type: "Builtin", name: "pid" }, { type: "Identifier", name: "comm" }] },
    });
    expect(statement("$i++;")).toMatchObject({ type: "ExpressionStatement", expression: { type: "UpdateExpression", prefix: false } });
    expect(statement("_ = delete(@m, 1);")).toMatchObject({ type: "DiscardStatement" });
  });

  it("keeps a block's trailing expression as its value", () => {
    const probe = firstProbe("BEGIN { $a = { let $b = 1; $b }; }");
    const st = probe.body.statements[0];
    expect(st).toMatchObject({ type: "Assignment", value: { type: "Block", statements: [{ type: "LetStatement" }], result: { type: "Variable", name: "$b" } } });
  });

  it("reads loops and conditions with and without parentheses", () => {
    expect(statement("for ($kv : @m) { print($kv.0); }")).toMatchObject({ type: "ForStatement", parenthesized: true, iterable: { type: "MapRef" } });
    expect(statement("for $i : 0..10 { }")).toMatchObject({ type: "ForStatement", parenthesized: false, iterable: { type: "RangeExpression" } });
    expect(statement("if !$x { } else if $y { } else { }")).toMatchObject({
      type: "ExpressionStatement",
      expression: { type: "IfExpression", condition: { parenthesized: false }, alternate: { type: "IfExpression", alternate: { type: "Block" } } },
    });
    expect(statement("if comptime (1) { }")).toMatchObject({ expression: { condition: { comptime: true, parenthesized: true } } });
  });

  it("requires ';' between statements, not before '}'", () => {
    expect(parse("BEGIN { @a = 1 }").diagnostics).toEqual([]);
    const { diagnostics } = parse("BEGIN { @a = 1 @b = 2 }");
    expect(diagnostics.map((d) => [d.range.start.line, d.range.start.column, d.message])).toEqual([[1, 15, "expected ';', found '@b'"]]);
  });
});

describe("attach points", () => {
  it("splits a uprobe with a glob, the cpp language part, a quoted C++ name and an offset, each with its range", () => {
    const text = 'uprobe:/nix/store/*-glibc/lib/libc.so*:cpp:"ns::C::f"+0x10 { }';
    const [ap] = firstProbe(text).attachPoints;
    expect(ap).toMatchObject({
      providerCanonical: "uprobe",
      targetKind: "glob",
      target: { value: "/nix/store/*-glibc/lib/libc.so*" },
      language: { value: "cpp" },
      func: { raw: '"ns::C::f"', value: "ns::C::f", quoted: true },
      offset: { value: "0x10" },
    });
    for (const part of [ap.provider, ap.target!, ap.language!, ap.func!, ap.offset!]) {
      expect(text.slice(part.range.start.offset, part.range.end.offset)).toBe(part.raw);
      expect(part.range.start.column).toBe(part.range.start.offset + 1);
    }
  });

  it.each([
    ["uprobe:libc:exit", { targetKind: "library", func: { value: "exit" } }],
    ["uprobe:/proc/1234/exe:main", { targetKind: "proc-exe" }],
    ["ur:/bin/bash:readline", { providerCanonical: "uretprobe", target: { value: "/bin/bash" } }],
    ["usdt:/bin/x:prov:probe", { usdtProvider: { value: "prov" }, usdtProbe: { value: "probe" } }],
    ["t:sched:sched_switch", { providerCanonical: "tracepoint", category: { value: "sched" }, func: { value: "sched_switch" } }],
    ["interval:s:1", { unit: { value: "s" }, count: { value: "1" } }],
    ["kprobe:mod:func+16", { module: { value: "mod" }, func: { value: "func" }, offset: { value: "16" } }],
    ["uprobe:/bin/bash@readline.c:362", { target: { value: "/bin/bash" }, sourceFile: { value: "readline.c" }, sourceLine: { value: "362" } }],
    ["p1=kprobe:f", { probeName: { value: "p1" }, providerCanonical: "kprobe" }],
  ])("%s", (raw, expected) => {
    expect(firstProbe(`${raw} { }`).attachPoints[0]).toMatchObject(expected);
  });

  it("takes a uprobe without its binary only for a program run with -p PID, as bpftrace 0.27 does", () => {
    const text = "uprobe:readline { exit(); }";
    const refused = parse(text).diagnostics.filter((d) => d.severity === "error");
    expect(refused.map((d) => [d.message, d.range.start.column, d.range.end.column])).toEqual([["uprobe probe type requires 2 or 3 arguments, found 1", 1, 16]]);
    const withPid = parse(text, { withPid: true });
    expect(withPid.diagnostics).toEqual([]);
    expect(withPid.ast.body[0]).toMatchObject({ attachPoints: [{ providerCanonical: "uprobe", func: { value: "readline" } }] });
    expect(withPid.ast.body[0]).not.toHaveProperty("attachPoints.0.target");
  });

  it("keeps a predicate glued to a path in the attach point, as bpftrace does", () => {
    const probe = firstProbe("kprobe:f/pid==1/{ }");
    expect(probe.attachPoints[0].raw).toBe("kprobe:f/pid==1/");
    expect(probe.predicate).toBeUndefined();
  });
});

describe("target releases", () => {
  it.each([
    ["BEGIN { let $x = 1; }", "0.17", "`let` declarations need bpftrace ≥ 0.22; target is 0.17"],
    ["begin { }", "0.23", "`begin` needs bpftrace ≥ 0.24 (write `BEGIN`); target is 0.23"],
    ['uprobe:/bin/x:cpp:"A::f" { }', "0.17", "the `cpp:` language part in uprobes needs bpftrace ≥ 0.19; target is 0.17"],
    ["BEGIN { @x = len(@m); }", "0.17", "Unknown function: len (not in bpftrace 0.17)"],
    ["BEGIN { $x = 100ms; }", "0.23", "duration literals like `100ms` need bpftrace ≥ 0.24; target is 0.23"],
    ["BEGIN { $x = $a ?: 1; }", "0.25", "the short ternary `a ?: b` needs bpftrace ≥ 0.26; target is 0.25 (write `a ? a : b`)"],
  ])("%s on %s: %s", (text, target, message) => {
    const { diagnostics } = parse(text, { target });
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([message]);
    expect(parse(text, { target: "0.27" }).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("counts a trailing `;` in a config block, not one inside a comment", () => {
    const errors = (text: string) => parse(text, { target: "0.20" }).diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
    expect(errors("config = { max_map_keys = 1; }\nBEGIN { }")).toEqual(["a trailing `;` in a config block needs bpftrace ≥ 0.21; target is 0.20"]);
    expect(errors("config = { max_map_keys = 1 /* ; */ // ;\n}\nBEGIN { }")).toEqual([]);
  });

  it("warns about forms the target deprecates", () => {
    const { diagnostics } = parse("BEGIN { while ($i < 3) { $i++; } }", { target: "0.27" });
    expect(diagnostics).toMatchObject([{ severity: "warning", code: "version", message: "`while` loops are deprecated since bpftrace 0.25 (use `for ($i : a..b)`)" }]);
  });
});

describe("syntaxOnly", () => {
  it("keeps the syntax errors (section order too) and skips the release, name and attach-point checks", () => {
    const text = "kprobe:f { $x = 1; }\nstruct A { int x; }\nfoo:bar { let $y = 1; }\n";
    const messages = (options: Parameters<typeof parse>[1]) => parse(text, options).diagnostics.map((d) => [d.code, d.message]);
    expect(messages({ target: "0.17" })).toEqual([
      ["syntax", "C definitions must appear before probes and functions"],
      ["attach-point", "Invalid probe type: foo"],
      ["version", "`let` declarations need bpftrace ≥ 0.22; target is 0.17"],
    ]);
    expect(messages({ target: "0.17", syntaxOnly: true })).toEqual([["syntax", "C definitions must appear before probes and functions"]]);
  });
});

describe("recovery and bad input", () => {
  it("reports several errors in one file and keeps the probes around them", () => {
    const { ast, diagnostics } = parse("kprobe:f { $x = ; }\nkprobe:g { printf(\"%d\\n\", ) }\nkprobe:h { @ok = 1; }");
    expect(diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`)).toEqual([
      "1:17 expected expression, found ';'",
      "2:27 expected expression, found ')'",
    ]);
    expect(ast.body.map((p) => (p.type === "Probe" ? p.attachPoints[0].raw : p.type))).toEqual(["kprobe:f", "kprobe:g", "kprobe:h"]);
  });

  it("keeps every comment with its range", () => {
    const text = "// one\nBEGIN { /* two */ @x = 1; } // three";
    const { ast } = parse(text);
    expect(ast.comments.map((c) => [c.kind, text.slice(c.range.start.offset, c.range.end.offset)])).toEqual([
      ["line", "// one"],
      ["block", "/* two */"],
      ["line", "// three"],
    ]);
  });

  it("answers binary data with one diagnostic", () => {
    const { ast, diagnostics } = parse("\u007fELF\u0002\u0001\u0000\u0000garbage");
    expect(diagnostics).toMatchObject([{ severity: "error", code: "input", message: "binary data (NUL byte): this is not a bpftrace program", range: { start: { line: 1, column: 7 } } }]);
    expect(ast.body).toEqual([]);
  });

  it("shows control characters in messages escaped", () => {
    const { diagnostics } = parse("k\u0001f:x { }");
    expect(diagnostics[0].message).toBe("Invalid probe type: k\\x01f");
  });

  it("leaves no tokens on the shared parser once it returns, also after syntax errors", () => {
    // The parser is a module singleton: a token vector left on it lives as long as the process.
    for (const text of ["BEGIN { @a[1] = count(); }", "BEGIN { @a[1 = ; } k:f { $x"]) {
      const { ast } = parse(text);
      expect(ast.body.length).toBeGreaterThan(0);
      expect(btParser.input).toEqual([]);
      expect(btParser.errors).toEqual([]);
    }
  });

  it("stops at 200 levels of nesting with a diagnostic instead of overflowing the stack", () => {
    const { diagnostics } = parse(`BEGIN { $x = ${"(".repeat(10_000)}1${")".repeat(10_000)}; }`);
    expect(diagnostics.some((d) => d.message.startsWith("nesting is too deep (more than 200 levels)"))).toBe(true);
  });
});
