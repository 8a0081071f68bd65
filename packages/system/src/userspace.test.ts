import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readElf } from "./elf.ts";
import { ldSoCacheEntries, resolveTarget, whichSo } from "./libraries.ts";
import { tempDir } from "./test-dirs.ts";
import { Userspace, withoutParameters } from "./userspace.ts";

function have(program: string): boolean {
  try {
    execFileSync(program, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const haveGxx = have("g++");
const haveBinutils = have("readelf") && have("c++filt");
const haveSdt = existsSync("/usr/include/sys/sdt.h") || existsSync("/usr/include/x86_64-linux-gnu/sys/sdt.h") || existsSync("/usr/include/aarch64-linux-gnu/sys/sdt.h");
if (!haveGxx) console.warn("SKIPPED compiled-program tests: g++ is not installed (apt-get install -y g++)");
if (!haveBinutils) console.warn("SKIPPED demangling/DWARF tests: binutils (readelf, c++filt) is not installed");
if (!haveSdt) console.warn("SKIPPED USDT test: sys/sdt.h is missing (apt-get install -y systemtap-sdt-dev)");

/** The lab's shape: a class whose member takes `const std::string &firstName`, a C function, and (with sdt.h) a USDT probe. */
const ADDRESS_BOOK = `#include <string>
#include <vector>
#ifdef WITH_USDT
#include <sys/sdt.h>
#endif
class AddressBook {
public:
  bool AddContact(const std::string &firstName, const std::string &lastName, int age);
  unsigned long Size() const { return contacts_.size(); }
private:
  struct Contact { std::string first, last; int age; };
  std::vector<Contact> contacts_;
};
__attribute__((noinline)) bool AddressBook::AddContact(const std::string &firstName, const std::string &lastName, int age) {
  contacts_.push_back({firstName, lastName, age});
#ifdef WITH_USDT
  DTRACE_PROBE2(addressbook, contact_added, age, contacts_.size());
#endif
  return true;
}
extern "C" __attribute__((noinline)) int add_numbers(int a, int b) { return a + b; }
int main(int argc, char **argv) {
  AddressBook book;
  book.AddContact("Ada", "Lovelace", 36);
  return add_numbers(argc, (int)book.Size()) > 100;
}
`;

function build(flags: string[]): string {
  const dir = tempDir("elf");
  const src = join(dir, "addressbook.cpp");
  writeFileSync(src, ADDRESS_BOOK);
  const out = join(dir, `addressbook${flags.join("").replace(/[^a-z]/gi, "")}`);
  execFileSync("g++", [...flags, "-o", out, src], { stdio: "pipe" });
  return out;
}

describe.skipIf(!haveGxx)("ELF symbols of programs built here", () => {
  const withDebug = haveGxx ? build(["-g", "-O0"]) : "";
  const withoutDebug = haveGxx ? build(["-O1"]) : "";
  const u = new Userspace();

  it("reads sections and notices debug info", () => {
    expect(readElf(withDebug).hasDebugInfo).toBe(true);
    expect(readElf(withoutDebug).hasDebugInfo).toBe(false);
    expect(readElf(withDebug).sections.map((s) => s.name)).toContain(".symtab");
  });

  it("lists function symbols, mangled as stored", () => {
    const r = u.binarySymbols(withoutDebug);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.names.has("add_numbers")).toBe(true);
    expect(r.value.names.has("main")).toBe(true);
    expect(r.value.names.withPrefix("_ZN11AddressBook10AddContact").length).toBe(1);
    expect(r.value.symbols.find((s) => s.name === "main")?.binding).toBe("global");
  });

  it.skipIf(!haveBinutils)("demangles C++ names, with and without parameter lists", () => {
    const r = u.binarySymbols(withoutDebug);
    if (!r.ok) throw new Error(r.reason);
    const add = r.value.symbols.find((s) => s.name.startsWith("_ZN11AddressBook10AddContact"));
    expect(add?.demangled).toMatch(/^AddressBook::AddContact\(std::__cxx11::basic_string<.*> const&, .* const&, int\)$/);
    expect(r.value.cppNames.has("AddressBook::AddContact")).toBe(true);
    expect(r.value.names.has("AddressBook::AddContact")).toBe(false);
    expect(r.value.demangleProblem).toBeUndefined();
  });

  it.skipIf(!haveBinutils)("reads a member function's parameters from DWARF, `this` included", () => {
    const r = u.functionParameters(withDebug, "AddressBook::AddContact");
    if (!r.ok) throw new Error(r.reason);
    expect(r.function.params.map((p) => [p.name, p.artificial])).toEqual([
      ["this", true],
      ["firstName", false],
      ["lastName", false],
      ["age", false],
    ]);
    expect(r.function.params[0].type).toBe("AddressBook * const");
    expect(r.function.params[1].type).toMatch(/^const std::(__cxx11::)?(string|basic_string<.*>) &$/);
    expect(r.function.returnType).toBe("bool");
    const mangled = r.function.linkageName!;
    expect(mangled).toMatch(/^_ZN11AddressBook10AddContact/);
    const byMangled = u.functionParameters(withDebug, mangled);
    expect(byMangled.ok && byMangled.function.qualifiedName).toBe("AddressBook::AddContact");
    const c = u.functionParameters(withDebug, "add_numbers");
    expect(c.ok && c.function.params.map((p) => `${p.type} ${p.name}`)).toEqual(["int a", "int b"]);
  });

  it.skipIf(!haveBinutils)("says there is no debug info in a binary built without -g", () => {
    const r = u.functionParameters(withoutDebug, "add_numbers");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/no DWARF debug info/);
  });

  it.skipIf(!haveSdt)("finds USDT probes in .note.stapsdt", () => {
    const bin = build(["-O1", "-DWITH_USDT"]);
    const r = u.usdtProbes(bin);
    if (!r.ok) throw new Error(r.reason);
    expect(r.probes.map((p) => `${p.provider}:${p.name}/${p.argCount}`)).toEqual(["addressbook:contact_added/2"]);
    expect(r.probes[0].address).toBeGreaterThan(0n);
    const none = u.usdtProbes(withoutDebug);
    expect(none.ok && none.probes).toEqual([]);
  });

  it("rejects a file that is not ELF, with the reason", () => {
    const f = join(tempDir("notelf"), "script.sh");
    writeFileSync(f, "#!/bin/sh\necho hi\n");
    const r = u.binarySymbols(f);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/not an ELF file/);
  });

  it("re-reads a binary that was rebuilt (cache keyed by file identity)", () => {
    const dir = tempDir("rebuild");
    const src = join(dir, "p.c");
    const bin = join(dir, "p");
    writeFileSync(src, "int first_version(void) { return 1; }\nint main(void) { return first_version(); }\n");
    execFileSync("g++", ["-x", "c", "-o", bin, src]);
    const before = u.binarySymbols(bin);
    expect(before.ok && before.value.names.has("first_version")).toBe(true);
    writeFileSync(src, "int second_version(void) { return 2; }\nint main(void) { return second_version(); }\n");
    execFileSync("g++", ["-x", "c", "-o", `${bin}.new`, src]);
    execFileSync("mv", [`${bin}.new`, bin]);
    const after = u.binarySymbols(bin);
    expect(after.ok && after.value.names.has("second_version")).toBe(true);
    expect(after.ok && after.value.names.has("first_version")).toBe(false);
    // A C program's C++ names are its names: one index serves both.
    expect(after.ok && after.value.cppNames).toBe(after.ok && after.value.names);
  });
});

describe("parameter lists of demangled names", () => {
  it("drops the outermost parameter list and qualifiers", () => {
    expect(withoutParameters("AddressBook::AddContact(std::string const&, int)")).toBe("AddressBook::AddContact");
    expect(withoutParameters("AddressBook::Size() const")).toBe("AddressBook::Size");
    expect(withoutParameters("std::function<void (int)>::operator()(int) const")).toBe("std::function<void (int)>::operator()");
    expect(withoutParameters("plain_c")).toBe("plain_c");
  });
});

const haveCache = ldSoCacheEntries() !== undefined;
if (!haveCache) console.warn("SKIPPED ld.so.cache tests: /etc/ld.so.cache is missing or unreadable");
if (!existsSync("/bin/bash")) console.warn("SKIPPED /bin/bash tests: /bin/bash is missing");

describe("targets resolved the way bpftrace does", () => {
  it.skipIf(!haveCache)("`libc` → the ld.so.cache entry for libc.so.*", () => {
    const r = resolveTarget("libc");
    expect(r.ok && r.via).toBe("ld.so.cache");
    expect(r.ok && r.path).toMatch(/\/libc\.so\.6$/);
    expect(whichSo("c")).toMatch(/\/libc\.so\.6$/);
    // BCC prefixes `lib` and matches `lib<name>.so`: a versioned soname is not a library name.
    expect(whichSo("c.so.6")).toBeUndefined();
  });
  it.skipIf(!existsSync("/bin/bash"))("`bash` through $PATH, `/bin/bash` as a path; /bin/bash has readline", () => {
    const r = resolveTarget("bash", { pathEnv: "/usr/bin:/bin", cwd: "/" });
    expect(r.ok && r.via).toBe("$PATH");
    const bash = new Userspace().binarySymbols("/bin/bash");
    expect(bash.ok && bash.value.names.has("readline")).toBe(true);
    expect(bash.ok && bash.value.names.has("readlinex")).toBe(false);
    expect(bash.ok && bash.value.names.closest("readlinex")).toContain("readline");
  });
  it("`/proc/self/exe` → this process's executable", () => {
    const r = resolveTarget("/proc/self/exe");
    expect(r.ok && r.path).toBe(process.execPath);
  });
  it("explains a target that resolves to nothing", () => {
    const r = resolveTarget("libdoesnotexist");
    expect(!r.ok && r.reason).toMatch(/not in \/etc\/ld\.so\.cache as libdoesnotexist\.so\*/);
    const p = resolveTarget("/no/such/binary");
    expect(!p.ok && p.reason).toMatch(/does not exist or is not an ELF file/);
  });
});
