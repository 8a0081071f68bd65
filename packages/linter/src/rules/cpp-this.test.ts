import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../lint.ts";
import { RuleTester } from "../rule-tester.ts";
import rule from "./cpp-this.ts";

// Without the binary the rule assumes a member function and says so.
new RuleTester().run("cpp-this", rule, {
  valid: [
    'uprobe:/nonexistent/app:cpp:"Counter::add" { printf("%d\\n", arg1); }',
    'uprobe:/nonexistent/app:cpp:"Counter::add" { printf("%p\\n", arg0); }',
    'uprobe:/nonexistent/app:add { printf("%d\\n", arg0); }',
  ],
  invalid: [
    {
      code: 'uprobe:/nonexistent/app:cpp:"Counter::add" { printf("%d\\n", arg0); }',
      errors: [{ messageId: "assumed", line: 1, column: 61, endLine: 1, endColumn: 65 }],
      output: null,
    },
    {
      code: 'uprobe:/nonexistent/app:cpp:"Counter::add" { @s = str(arg0); if (arg0 == 5) {} }',
      errors: [
        { messageId: "assumed", line: 1, column: 55, endLine: 1, endColumn: 59 },
        { messageId: "assumed", line: 1, column: 66, endLine: 1, endColumn: 70 },
      ],
      output: null,
    },
  ],
});

const CPP = `
#include <cstdio>
class Counter {
 public:
  explicit Counter(int start);
  int add(int n);
  int get() const;
 private:
  int total_;
};
Counter::Counter(int start) : total_(start) {}
int Counter::add(int n) { total_ += n; return total_; }
int Counter::get() const { return total_; }
namespace util { int twice(int n) { return 2 * n; } }
int main(int argc, char**) { Counter c(argc); c.add(argc); std::printf("%d %d\\n", c.get(), util::twice(argc)); return 0; }
`;

function compile(): string | undefined {
  try {
    execFileSync("g++", ["--version"], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), "bt-lint-cpp-"));
  writeFileSync(join(dir, "counter.cpp"), CPP);
  execFileSync("g++", ["-O0", "-g", "-o", join(dir, "counter"), join(dir, "counter.cpp")]);
  return join(dir, "counter");
}

const bin = compile();
if (!bin) console.warn("cpp-this: g++ not found — skipping the compiled C++ test");

describe.skipIf(!bin)("cpp-this on a compiled C++ program (symbols decide)", () => {
  const only = (code: string) =>
    lintText(code, { rules: { "variable-unused": "off" } }).findings.filter((f) => f.ruleId === "cpp-this");
  it("flags arg0 printed as the int parameter of a member function", () => {
    const code = `uprobe:${bin}:cpp:"Counter::add" { printf("n=%d\\n", arg0); }`;
    const f = only(code);
    expect(f).toHaveLength(1);
    expect(f[0].messageId).toBe("member");
    expect(f[0].message).toContain("Counter is a class in");
    expect(code.slice(f[0].range.start.offset, f[0].range.end.offset)).toBe("arg0");
  });
  it("does not flag arg1", () => {
    expect(only(`uprobe:${bin}:cpp:"Counter::add" { printf("n=%d\\n", arg1); }`)).toEqual([]);
  });
  it("does not flag arg0 of a free function in a namespace", () => {
    expect(only(`uprobe:${bin}:cpp:"util::twice" { printf("n=%d\\n", arg0); }`)).toEqual([]);
  });
  it("says it assumed a member when told not to read the file system", () => {
    const f = lintText(`uprobe:${bin}:cpp:"Counter::add" { printf("n=%d\\n", arg0); }`, { readFileSystem: false }).findings.filter((x) => x.ruleId === "cpp-this");
    expect(f.map((x) => x.messageId)).toEqual(["assumed"]);
    expect(f[0].message).toContain("assumed");
  });
});
