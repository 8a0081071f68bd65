import { describe, expect, it } from "vitest";
import { integerValue, stringValue } from "./literals.ts";

describe("integer literals", () => {
  it.each([
    ["1_000", "1000", undefined],
    ["0x10", "16", undefined],
    ["0777", "511", undefined],
    ["1e6", "1000000", undefined],
    ["5ms", "5000000", "ms"],
    ["1s", "1000000000", "s"],
    ["10ul", "10", "ul"],
  ])("%s = %s", (raw, value, suffix) => {
    expect(integerValue(raw)).toEqual({ value, suffix });
  });

  it.each([
    ["1_1_", "trailing underscore in integer literal"],
    ["08", "invalid trailing bytes: 08"],
    ["12e4", "coefficient part of scientific literal must be 1-9"],
    ["123UL", "invalid trailing bytes: 123UL"],
    ["1ulll", "invalid integer suffix 'l'"],
    ["1lul", "invalid integer suffix 'ul'"],
    ["0b101", "invalid integer suffix 'b101'"],
    ["1e21", "integer literal 1e21 is out of range"],
    ["0x10}", "invalid trailing bytes: 0x10}"],
    // A suffix named like an Object.prototype member is not a duration.
    ["1constructor", "invalid integer suffix 'constructor'"],
  ])("%s is rejected: %s", (raw, error) => {
    expect(integerValue(raw).error).toBe(error);
  });
});

describe("string literals", () => {
  it("decodes escapes", () => {
    expect(stringValue(String.raw`"a\n\t\"\\\x41\101"`).value).toBe('a\n\t"\\AA');
    expect(stringValue(String.raw`"\1009"`).value).toBe("@9");
  });
  it("keeps the text before, between and after escapes", () => {
    expect(stringValue(String.raw`"pid %d: %s\n"`).value).toBe("pid %d: %s\n");
    expect(stringValue(String.raw`"\tx=%d\\y\x7e end"`).value).toBe("\tx=%d\\y~ end");
    expect(stringValue(String.raw`"no escapes"`).value).toBe("no escapes");
  });
  it("gives the text decoded up to a bad escape with its error", () => {
    expect(stringValue(String.raw`"ab\tc\qd"`)).toEqual({ value: "ab\tc", error: "invalid escape character '\\q'" });
    expect(stringValue('"trailing\\"')).toEqual({ value: "trailing", error: "invalid escape character '\\'" });
  });
  it("rejects unknown escapes and octal above 255", () => {
    expect(stringValue(String.raw`"\e"`).error).toBe("invalid escape character '\\e'");
    expect(stringValue(String.raw`"\777"`).error).toMatch(/out of range/);
  });
});
