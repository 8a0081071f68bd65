import { describe, expect, it } from "vitest";
import { scanCode } from "./lexical.ts";

function run(text: string, options?: Parameters<typeof scanCode>[3]) {
  let seen = "";
  const place = scanCode(text, text.length, (c) => (seen += c), options);
  return { place, seen };
}

describe("scanCode", () => {
  it("visits code only, skipping comments and strings", () => {
    expect(run('a // x\nb /* y */ c "z\\"(" d')).toEqual({ place: "code", seen: "a b  c  d" });
  });

  it("says where the offset lands", () => {
    expect(run("a // x").place).toBe("comment");
    expect(run("a /* x *").place).toBe("comment");
    expect(run('a "x').place).toBe("string");
    expect(run('a "x\\').place).toBe("string");
  });

  it("skips `#` lines only where the caller says they are directives", () => {
    expect(run("#include <a(b>\nc")).toEqual({ place: "code", seen: "#include <a(b>\nc" });
    expect(run("#include <a(b>\nc", { directive: () => true })).toEqual({ place: "code", seen: "c" });
    expect(run("#include <a", { directive: () => true }).place).toBe("comment");
    expect(run("x #y", { directive: () => true }).seen).toBe("x #y"); // not at a line start
  });
});
