import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decodeSource, encodeSource } from "./source-bytes.ts";
import { parse } from "./parse.ts";

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));

describe("decodeSource / encodeSource", () => {
  it("gives back every byte of any input", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (input) => {
        expect(encodeSource(decodeSource(input)).equals(Buffer.from(input))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("decodes valid UTF-8 exactly as TextDecoder does, BOM included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 50 }), (s) => {
        const b = Buffer.from(`\ufeff${s}`, "utf8");
        expect(decodeSource(b)).toBe(`\ufeff${s}`);
        expect(encodeSource(decodeSource(b)).equals(b)).toBe(true);
      }),
    );
  });

  it("escapes each invalid byte on its own: stray, truncated, overlong, surrogate, above U+10FFFF", () => {
    const input = bytes("a", [0xff], "b", [0xc3], "c", [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], "é");
    const text = decodeSource(input);
    expect([...text].map((c) => c.charCodeAt(0).toString(16))).toEqual(
      ["61", "dcff", "62", "dcc3", "63", "dcc0", "dc80", "dced", "dca0", "dc80", "dcf4", "dc90", "dc80", "dc80", "e9"],
    );
    expect(encodeSource(text).equals(input)).toBe(true);
  });

  it("an escape right after a character outside the BMP is still a byte", () => {
    // U+10080 is the surrogate pair D800 DC80: its low half must not be read as the byte 0x80
    const input = bytes("\u{10080}", [0x80], "\u{10080}");
    const text = decodeSource(input);
    expect(text).toBe("\u{10080}\udc80\u{10080}");
    expect(encodeSource(text).equals(input)).toBe(true);
  });
});

describe("parse and bytes that are not UTF-8", () => {
  it("accepts them in strings and comments, like bpftrace", () => {
    const text = decodeSource(bytes('BEGIN { printf("caf', [0xe9], '\\n"); // ', [0xff, 0xfe], "\n}\n"));
    expect(parse(text).diagnostics).toEqual([]);
  });

  it("reports one outside them, at its place", () => {
    const { diagnostics } = parse(decodeSource(bytes("BEGIN {\n  $x = ", [0xff], "; }\n")));
    expect(diagnostics.map((d) => [d.message, d.range.start.line, d.range.start.column])).toContainEqual([
      "invalid UTF-8 byte 0xff outside a string or comment",
      2,
      8,
    ]);
  });
});

describe("a byte-order mark", () => {
  it("is one error at 1:1 (bpftrace 0.17 to 0.27 reject it), and the rest still parses", () => {
    const { ast, diagnostics } = parse('\ufeffBEGIN { printf("hi\\n"); }\n');
    expect(diagnostics.map((d) => [d.severity, d.code, d.range.start.line, d.range.start.column])).toEqual([["error", "input", 1, 1]]);
    expect(diagnostics[0].message).toMatch(/byte-order mark/);
    expect(ast.body.map((n) => n.type)).toEqual(["Probe"]);
  });
});
