import { parse } from "@bt/parser";
import { lintText } from "@bt/linter";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultOptions } from "./defaults.ts";

// Count the parser's calls, wherever they come from (the linter imports the same module).
vi.mock("@bt/parser", async (importOriginal) => {
  const original = await importOriginal<typeof import("@bt/parser")>();
  return { ...original, parse: vi.fn(original.parse) };
});

afterEach(() => vi.mocked(parse).mockClear());

const TEXT = 'BEGIN { $x = 1; }\nkprobe:f { printf("%d\\n", 1, 2); }\n';

describe("the default lint function", () => {
  it("lints the server's parse instead of parsing again, with the same findings", () => {
    const lint = defaultOptions().lint!;
    const expected = lintText(TEXT, { target: "0.27" }).findings;
    expect(expected.map((f) => f.ruleId)).toEqual(["variable-unused", "format-string"]);

    const parsed = parse(TEXT, { target: "0.27" });
    vi.mocked(parse).mockClear();
    expect(lint(TEXT, { target: "0.27" }, parsed).findings).toEqual(expected);
    expect(parse).not.toHaveBeenCalled();
  });

  it("takes the rule configuration from the settings lintSettings gave, not from the file's directory", () => {
    const { lint, lintSettings } = defaultOptions() as Required<ReturnType<typeof defaultOptions>>;
    // No configuration file above /nonexistent: every rule at its default.
    expect(lintSettings!("/nonexistent/dir/x.bt")).toBe("null");
    const settings = JSON.stringify({ "variable-unused": "off", "format-string": "error" });
    const findings = lint(TEXT, { target: "0.27", filePath: "/nonexistent/dir/x.bt", settings }).findings;
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([["format-string", "error"]]);
    expect(lint(TEXT, { target: "0.27", filePath: "/nonexistent/dir/x.bt", settings: "null" }).findings.map((f) => f.ruleId)).toEqual(["variable-unused", "format-string"]);
  });

  it("parses the text itself when given no parse", () => {
    const lint = defaultOptions().lint!;
    expect(lint(TEXT, { target: "0.27" }).findings.map((f) => f.ruleId)).toEqual(["variable-unused", "format-string"]);
    expect(parse).toHaveBeenCalledTimes(1);
  });
});

describe("lintText's parsed option", () => {
  it("gives the same result as parsing, for clean, broken and version-limited text", () => {
    for (const [text, target] of [
      [TEXT, "0.27"],
      ["BEGIN { @x = 1 +; }\n", "0.27"],
      ["macro f() { 1 }\nBEGIN { f() }\n", "0.21"],
    ] as const) {
      const parsed = parse(text, { target });
      vi.mocked(parse).mockClear();
      expect(lintText(text, { target, parsed })).toEqual(lintText(text, { target }));
      expect(parse).toHaveBeenCalledTimes(1); // only the run without `parsed`
    }
  });
});
