import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMachine, machineFromFacts } from "@bt/system";
import { afterAll, describe, expect, it } from "vitest";
import { RuleTester } from "../rule-tester.ts";
import rule from "./cpp-this.ts";

// Without a machine the rule assumes a qualified name is a member function and says so; no fix.
new RuleTester().run("cpp-this", rule, {
  valid: [
    'uprobe:/opt/app:cpp:"Counter::add" { printf("%d\\n", arg1); }',
    'uprobe:/opt/app:cpp:"Counter::add" { printf("%p\\n", arg0); }',
    'uprobe:/opt/app:add { printf("%d\\n", arg0); }',
    { code: 'uprobe:/opt/app:cpp:"Counter::add" { @ = str(*(uint64 *)arg0); }', name: "a dereference of this is a member read unless debug info says parameter 1 is an address" },
  ],
  invalid: [
    {
      code: 'uprobe:/opt/app:cpp:"Counter::add" { printf("%d\\n", arg0); }',
      errors: [
        {
          message:
            "`arg0` is used as a value, but in a C++ member function it is the implicit `this` pointer and the first parameter is `arg1` (bt-lint assumed `Counter::add` is a member function: run with `--machine` to decide from the binary).",
          line: 1,
          column: 53,
          endLine: 1,
          endColumn: 57,
        },
      ],
      output: null,
    },
    {
      code: 'uprobe:/opt/app:cpp:"Counter::add" { @s = str(arg0); if ((int32)arg0 == 5) {} }',
      errors: [
        { messageId: "assumed", line: 1, column: 47, endLine: 1, endColumn: 51 },
        { messageId: "assumed", line: 1, column: 65, endLine: 1, endColumn: 69 },
      ],
      output: null,
    },
  ],
});

const MANGLED_ADD = "_ZN11AddressBook10AddContactERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEES7_i";
const facts = machineFromFacts({
  binaries: {
    "/opt/ab-debug": {
      functions: [MANGLED_ADD, "_ZN4util5twiceEi", "main"],
      cpp: ["AddressBook::AddContact", "util::twice"],
      parameters: {
        "AddressBook::AddContact": [["this", "AddressBook * const"], ["firstName", "const std::string &"], ["lastName", "const std::string &"], ["number", "int"]],
        "util::twice": [["n", "int"]],
      },
    },
    "/opt/ab-stripped": { functions: [MANGLED_ADD, "_ZN11AddressBookC2Ev", "_ZN4util5twiceEi", "main"], cpp: ["AddressBook::AddContact", "util::twice"] },
  },
});
const ADD_MESSAGE = "`AddressBook::AddContact(this, firstName, lastName, number)` is a C++ member function: `arg0` is `this`, not `firstName`; `firstName` (const std::string &) is `arg1`.";

new RuleTester({ machine: facts }).run("cpp-this", rule, {
  valid: [
    { code: 'uprobe:/opt/ab-debug:cpp:"util::twice" { printf("%d\\n", arg0); }', name: "debug info: a namespace function has no this" },
    { code: 'uprobe:/opt/ab-stripped:cpp:"util::twice" { printf("%d\\n", arg0); }', name: "symbols: util has no constructor, destructor or const member" },
    'uprobe:/opt/ab-debug:cpp:"AddressBook::AddContact" { printf("%s\\n", str(*(uint64 *)arg1)); }',
  ],
  invalid: [
    {
      code: 'uprobe:/opt/ab-debug:cpp:"AddressBook::AddContact" { printf("%s\\n", str(*(uint64 *)arg0)); }',
      errors: [{ message: ADD_MESSAGE, line: 1, column: 84, endLine: 1, endColumn: 88 }],
      output: 'uprobe:/opt/ab-debug:cpp:"AddressBook::AddContact" { printf("%s\\n", str(*(uint64 *)arg1)); }',
    },
    {
      code: 'uprobe:/opt/ab-debug:cpp:"AddressBook::AddContact" { @[str(*(uint64 *)arg0)] = count(); }',
      errors: [{ messageId: "debugInfo", line: 1, column: 71, endLine: 1, endColumn: 75 }],
      output: 'uprobe:/opt/ab-debug:cpp:"AddressBook::AddContact" { @[str(*(uint64 *)arg1)] = count(); }',
    },
    {
      code: 'uprobe:/opt/ab-stripped:cpp:"AddressBook::AddContact" { if (arg0 == 36) {} }',
      errors: [
        {
          message:
            "`AddressBook::AddContact` is a C++ member function (AddressBook is a class in /opt/ab-stripped): `arg0` is the implicit `this` pointer, not its first parameter; the first parameter is `arg1`.",
          line: 1,
          column: 61,
          endLine: 1,
          endColumn: 65,
        },
      ],
      output: 'uprobe:/opt/ab-stripped:cpp:"AddressBook::AddContact" { if (arg1 == 36) {} }',
    },
    {
      code: 'uprobe:/opt/missing:cpp:"AddressBook::AddContact" { printf("%d\\n", arg0); }',
      errors: [{ messageId: "assumed", message: /assumed `AddressBook::AddContact` is a member function: \/opt\/missing cannot be read here/, line: 1, column: 68, endLine: 1, endColumn: 72 }],
      output: null,
    },
  ],
});

/** The lab's AddressBook: a member taking `const std::string &firstName`, a namespace function, a C function. */
const ADDRESS_BOOK = `#include <string>
#include <vector>
#include <cstdio>
class AddressBook {
public:
  bool AddContact(const std::string &firstName, const std::string &lastName, int number);
private:
  struct Contact { std::string first, last; int number; };
  std::vector<Contact> contacts_;
};
__attribute__((noinline)) bool AddressBook::AddContact(const std::string &firstName, const std::string &lastName, int number) {
  contacts_.push_back({firstName, lastName, number});
  return true;
}
namespace util { __attribute__((noinline)) int twice(int n) { return 2 * n; } }
int main(int argc, char **) {
  AddressBook book;
  book.AddContact("Ada", "Lovelace", 36);
  std::printf("%d\\n", util::twice(argc));
  return 0;
}
`;

function haveTool(name: string): boolean {
  try {
    execFileSync(name, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const canBuild = haveTool("g++") && haveTool("readelf") && haveTool("c++filt");
if (!canBuild) console.warn("cpp-this: g++ or binutils (readelf, c++filt) not found — skipping the compiled C++ tests");
const dir = canBuild ? mkdtempSync(join(tmpdir(), "bt-lint-cpp-this-")) : "";
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
function build(name: string, debug: boolean): string {
  const src = join(dir, "addressbook.cpp");
  if (!existsSync(src)) writeFileSync(src, ADDRESS_BOOK);
  const out = join(dir, name);
  execFileSync("g++", ["-O0", ...(debug ? ["-g"] : []), "-o", out, src]);
  return out;
}

describe.skipIf(!canBuild)("cpp-this on the AddressBook built with g++, read through this machine", () => {
  const withDebug = canBuild ? build("addressbook", true) : "";
  const withoutDebug = canBuild ? build("addressbook-nodebug", false) : "";
  const machine = createMachine();

  new RuleTester({ machine }).run("cpp-this", rule, {
    valid: [
      { code: `uprobe:${withDebug}:cpp:"util::twice" { printf("%d\\n", arg0); }`, name: "-g: util::twice has no artificial this" },
      { code: `uprobe:${withoutDebug}:cpp:"util::twice" { printf("%d\\n", arg0); }`, name: "no -g: util is not a class by its symbols" },
      `uprobe:${withDebug}:cpp:"AddressBook::AddContact" { printf("%s %d\\n", str(*(uint64 *)arg1), arg3); }`,
    ],
    invalid: [
      {
        code: `uprobe:${withDebug}:cpp:"AddressBook::AddContact" { printf("%s\\n", str(*(uint64 *)arg0)); }`,
        errors: [{ message: ADD_MESSAGE, line: 1, column: 71 + withDebug.length, endLine: 1, endColumn: 75 + withDebug.length }],
        output: `uprobe:${withDebug}:cpp:"AddressBook::AddContact" { printf("%s\\n", str(*(uint64 *)arg1)); }`,
      },
      {
        code: `uprobe:${withoutDebug}:cpp:"AddressBook::AddContact" { printf("%d\\n", arg0); }`,
        errors: [
          {
            message: `\`AddressBook::AddContact\` is a C++ member function (AddressBook is a class in ${withoutDebug}): \`arg0\` is the implicit \`this\` pointer, not its first parameter; the first parameter is \`arg1\`.`,
            line: 1,
            column: 56 + withoutDebug.length,
            endLine: 1,
            endColumn: 60 + withoutDebug.length,
          },
        ],
        output: `uprobe:${withoutDebug}:cpp:"AddressBook::AddContact" { printf("%d\\n", arg1); }`,
      },
    ],
  });

  // What the message suggests, measured with the real bpftrace 0.27 on the same binary.
  const bpftrace = "/usr/local/bin/bpftrace-0.27";
  const oracle = "/work/shared/oracle/semantic-verdict";
  const asRoot = process.getuid?.() === 0;
  const canRun = asRoot && existsSync(bpftrace) && existsSync(oracle);
  if (!canRun) console.warn(`cpp-this: skipping the bpftrace 0.27 measurements (${asRoot ? `${bpftrace} or ${oracle} missing` : "not root"})`);
  it.skipIf(!canRun)("bpftrace 0.27 prints the first parameter from arg1, not arg0", () => {
    const out = execFileSync(bpftrace, ["-e", `uprobe:${withDebug}:cpp:"AddressBook::AddContact" { printf("arg0=[%s] arg1=[%s] arg3=%d\\n", str(*(uint64 *)arg0), str(*(uint64 *)arg1), arg3); }`, "-c", withDebug], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, BPFTRACE_COLOR: "never" },
    });
    expect(out).toContain("arg1=[Ada] arg3=36");
    expect(out).not.toContain("arg0=[Ada]");
  });
  it.skipIf(!canRun)("bpftrace 0.27 refuses args.firstName of a qualified C++ name, so the rule suggests arg1", () => {
    const file = join(dir, "args.bt");
    const verdict = (code: string) => {
      writeFileSync(file, code);
      return execFileSync(oracle, ["--release", "0.27", file], { encoding: "utf8", timeout: 60_000 }).split("\n")[0];
    };
    expect(verdict(`uprobe:${withDebug}:cpp:"AddressBook::AddContact" { @ = str(*(uint64 *)args.firstName); }`)).toMatch(/^error\t1:\d+\tCannot read function parameters$/);
    expect(verdict(`uprobe:${withDebug}:cpp:"AddressBook::AddContact" { @ = str(*(uint64 *)arg1); }`)).toBe("ok");
  });

  it("without -g, a dereference of arg0 is not judged (parameter types are unknown)", async () => {
    const { lintText } = await import("../lint.ts");
    const f = lintText(`uprobe:${withoutDebug}:cpp:"AddressBook::AddContact" { @ = str(*(uint64 *)arg0); }`, { machine }).findings;
    expect(f.filter((x) => x.ruleId === "cpp-this")).toEqual([]);
  });
});
