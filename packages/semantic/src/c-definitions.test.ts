import { parse } from "@bt/parser";
import { describe, expect, it } from "vitest";
import { parseCDefinitions } from "./c-definitions.ts";
import { typeName } from "./type-system.ts";

const fieldsOf = (read: ReturnType<typeof parseCDefinitions>, name: string) => {
  const t = read.get(name);
  return t?.k === "struct" && t.fields ? [...t.fields].map(([field, type]) => `${field}: ${typeName(type)}`) : undefined;
};

describe("parseCDefinitions", () => {
  it("reads the same definition nodes once, and again when one of them is another node", () => {
    const { ast } = parse("struct a { int x; };\nstruct b { struct a *p; char name[8]; };\nBEGIN { }\n", { target: "0.27" });
    const first = parseCDefinitions(ast);
    expect(fieldsOf(first, "struct b")).toEqual(["p: struct a *", "name: string[9]"]);
    // Another program holding the same nodes (an edit elsewhere): the same reading.
    const probe = parse("kprobe:f { }\n", { target: "0.27" }).ast.body[0];
    expect(parseCDefinitions({ ...ast, body: [...ast.body, probe] })).toBe(first);
    // A definition edited (a new node): read again.
    const edited = parse("struct a { long x; };\n", { target: "0.27" }).ast.body[0];
    const again = parseCDefinitions({ ...ast, body: [edited, ast.body[1], ast.body[2]] });
    expect(again).not.toBe(first);
    expect(fieldsOf(again, "struct a")).toEqual(["x: int64"]);
    // One definition fewer: read again.
    expect(fieldsOf(parseCDefinitions({ ...ast, body: [ast.body[0], ast.body[2]] }), "struct b")).toBeUndefined();
  });
});
