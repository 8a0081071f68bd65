/** Depth: what bpftrace takes (long flat chains) parses without recursion per term; nesting stops at MAX_NESTING with a diagnostic. */
import { describe, expect, it } from "vitest";
import { MAX_NESTING, parse, walk, type Node } from "./index.ts";

const chain = (n: number, op = "+") => `BEGIN { $x = ${Array(n).fill("1").join(` ${op} `)}; print($x); }\n`;

/** Programs nested `n` levels deep by one construct each, the innermost level included in the count. */
export const NESTED: Record<string, (n: number) => string> = {
  parentheses: (n) => `BEGIN { $x = ${"(".repeat(n - 1)}1${")".repeat(n - 1)}; }\n`,
  blocks: (n) => `BEGIN ${"{ ".repeat(n)}$x = 1;${" }".repeat(n)}\n`,
  ifs: (n) => `BEGIN { $x = 1; ${"if ($x) { ".repeat(n - 2)}$x = 2;${" }".repeat(n - 2)} }\n`,
  "unary operators": (n) => `BEGIN { $x = 1; $y = ${"!".repeat(n - 1)}$x; }\n`,
  "else-if chains": (n) => `BEGIN { $x = 1; if ($x) { $x = 2; }${" else if ($x) { $x = 3; }".repeat(n - 1)} }\n`,
  calls: (n) => `BEGIN { $x = ${"max(".repeat(n - 1)}1${")".repeat(n - 1)}; }\n`,
};

describe("depth", () => {
  it("a chain of 100,000 terms parses (bpftrace takes at least 5,000)", () => {
    const { ast, diagnostics } = parse(chain(100_000));
    expect(diagnostics).toEqual([]);
    let binaries = 0;
    walk(ast, (n: Node) => {
      if (n.type === "BinaryExpression") binaries++;
    });
    expect(binaries).toBe(99_999);
  });

  for (const [name, program] of Object.entries(NESTED)) {
    it(`${name}: ${MAX_NESTING} levels parse, one more is a diagnostic at the level that passes the limit`, () => {
      expect(parse(program(MAX_NESTING)).diagnostics).toEqual([]);
      const deeper = parse(program(MAX_NESTING + 50)).diagnostics;
      const tooDeep = deeper.find((d) => d.message.startsWith("nesting is too deep"));
      expect(tooDeep?.severity).toBe("error");
      expect(tooDeep!.range.start.offset).toBeGreaterThan(0);
      expect(deeper.some((d) => d.message.includes("internal"))).toBe(false);
      // the item with the deep nesting is dropped whole, the items before it are kept
      const withNeighbour = parse(`END { print(2); }\n${program(MAX_NESTING + 50)}`);
      expect(withNeighbour.ast.body.map((n) => n.type)).toEqual(["Probe"]);
      expect(withNeighbour.ast.body[0].range.start.line).toBe(1);
    });
  }
});
