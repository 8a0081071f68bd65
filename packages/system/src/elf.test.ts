import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildElf, type ElfFixture } from "./elf-fixture.ts";
import { ElfFormatError, readElf, readFunctionSymbols } from "./elf.ts";
import { tempDir } from "./test-dirs.ts";
import { runTool } from "./tool.ts";
import { readUsdtProbes } from "./usdt.ts";

const dir = tempDir("elf");

const FORMS = [
  { is64: true, littleEndian: true, machine: 62, label: "ELF64 little-endian (x86-64)" },
  { is64: false, littleEndian: true, machine: 3, label: "ELF32 little-endian (i386)" },
  { is64: true, littleEndian: false, machine: 22, label: "ELF64 big-endian (s390x)" },
  { is64: false, littleEndian: false, machine: 20, label: "ELF32 big-endian (PowerPC)" },
] as const;

function fixture(form: (typeof FORMS)[number]): { path: string; spec: ElfFixture } {
  const spec: ElfFixture = {
    is64: form.is64,
    littleEndian: form.littleEndian,
    machine: form.machine,
    functions: [
      { name: "add_numbers", address: 0x1000, size: 24 },
      { name: "_ZN11AddressBook10AddContactEv", address: 0x1018, size: 40 },
    ],
    usdt: [
      { provider: "adder", name: "added", address: 0x100d, semaphore: 0, args: "-4@%edi -4@%esi" },
      { provider: "book", name: "contact_added", address: 0x1020, semaphore: 0x2000, args: "" },
    ],
  };
  const path = join(dir, `${form.is64 ? 64 : 32}-${form.littleEndian ? "le" : "be"}`);
  writeFileSync(path, buildElf(spec));
  return { path, spec };
}

describe.each(FORMS)("$label (hand-built fixture)", (form) => {
  const { path } = fixture(form);
  it("reads the header and section names", () => {
    const elf = readElf(path);
    expect(elf).toMatchObject({ is64: form.is64, littleEndian: form.littleEndian, machine: form.machine, type: 2, hasDebugInfo: false });
    expect(elf.sections.map((s) => s.name)).toEqual(["", ".text", ".symtab", ".strtab", ".note.stapsdt", ".shstrtab"]);
  });
  it("reads function symbols with their addresses and sizes", () => {
    expect(readFunctionSymbols(path).map((s) => [s.name, s.address, s.size, s.binding, s.table])).toEqual([
      ["add_numbers", 0x1000n, 24, "global", ".symtab"],
      ["_ZN11AddressBook10AddContactEv", 0x1018n, 40, "global", ".symtab"],
    ]);
  });
  it("reads USDT notes with addresses of the file's word size", () => {
    expect(readUsdtProbes(path)).toEqual([
      { provider: "adder", name: "added", address: 0x100dn, semaphore: 0n, args: "-4@%edi -4@%esi", argCount: 2 },
      { provider: "book", name: "contact_added", address: 0x1020n, semaphore: 0x2000n, args: "", argCount: 0 },
    ]);
  });
});

const haveReadelf = runTool("readelf", ["--version"]).ok;
if (!haveReadelf) console.warn("SKIPPED fixture check against readelf: binutils is not installed");

describe.skipIf(!haveReadelf)("the fixtures are ELF as binutils reads it", () => {
  it.each(FORMS)("$label: readelf lists the same symbols and USDT probes", (form) => {
    const { path } = fixture(form);
    const header = execFileSync("readelf", ["-h", path], { encoding: "utf8" });
    expect(header).toMatch(form.is64 ? /Class:\s+ELF64/ : /Class:\s+ELF32/);
    expect(header).toMatch(form.littleEndian ? /little endian/ : /big endian/);
    const symbols = execFileSync("readelf", ["-sW", path], { encoding: "utf8" });
    const funcs = [...symbols.matchAll(/^\s*\d+: ([0-9a-f]+)\s+(\d+) FUNC\s+GLOBAL\s+DEFAULT\s+1 (\S+)$/gm)].map((m) => [m[3], BigInt(`0x${m[1]}`), Number(m[2])]);
    expect(funcs).toEqual(readFunctionSymbols(path).map((s) => [s.name, s.address, s.size]));
    const notes = execFileSync("readelf", ["-nW", path], { encoding: "utf8" });
    expect([...notes.matchAll(/Provider: (\S+)\n\s+Name: (\S+)\n\s+Location: 0x([0-9a-f]+).*Semaphore: 0x([0-9a-f]+)/g)].map((m) => [m[1], m[2], BigInt(`0x${m[3]}`), BigInt(`0x${m[4]}`)])).toEqual(
      readUsdtProbes(path).map((p) => [p.provider, p.name, p.address, p.semaphore]),
    );
  });
});

/** A 32-bit i386 program with a USDT probe, built without a C library (no 32-bit libc needed). */
function build32(): string | undefined {
  const sdtDir = ["/usr/include", "/usr/include/x86_64-linux-gnu"].find((d) => existsSync(join(d, "sys/sdt.h")));
  if (!sdtDir) return void console.warn("SKIPPED 32-bit build: sys/sdt.h is missing (apt-get install -y systemtap-sdt-dev)");
  const src = join(dir, "adder32.c");
  writeFileSync(
    src,
    `#include <sys/sdt.h>
__attribute__((noinline)) int add_numbers(int a, int b) { DTRACE_PROBE2(adder, added, a, b); return a + b; }
void _start(void) { add_numbers(1, 2); for (;;) {} }
`,
  );
  const out = join(dir, "adder32");
  try {
    execFileSync("gcc", ["-m32", "-O0", "-nostdlib", "-nostartfiles", "-static", `-I${sdtDir}`, "-o", out, src], { stdio: "pipe" });
    return out;
  } catch (err) {
    console.warn(`SKIPPED 32-bit build: gcc -m32 failed (${String((err as { stderr?: Buffer }).stderr ?? err).split("\n")[0]})`);
    return undefined;
  }
}
const adder32 = build32();

describe.skipIf(!adder32 || !haveReadelf)("a 32-bit program built by gcc -m32", () => {
  it("gives its functions and USDT probe at the addresses readelf gives", () => {
    const path = adder32!;
    expect(readElf(path)).toMatchObject({ is64: false, littleEndian: true, machine: 3 });
    const symbols = readFunctionSymbols(path);
    const add = symbols.find((s) => s.name === "add_numbers");
    const readelfLine = /^\s*\d+: ([0-9a-f]+)\s+(\d+) FUNC\s+GLOBAL\s+DEFAULT\s+\d+ add_numbers$/m.exec(execFileSync("readelf", ["-sW", path], { encoding: "utf8" }));
    expect(add && [add.address, add.size]).toEqual([BigInt(`0x${readelfLine![1]}`), Number(readelfLine![2])]);
    const probes = readUsdtProbes(path);
    const location = /Location: 0x([0-9a-f]+)/.exec(execFileSync("readelf", ["-nW", path], { encoding: "utf8" }))![1];
    expect(probes.map((p) => [p.provider, p.name, p.address, p.argCount])).toEqual([["adder", "added", BigInt(`0x${location}`), 2]]);
  });
});

describe("files that are not ELF as this reader knows it", () => {
  it("says what is wrong, with the path", () => {
    const bad = join(dir, "class3");
    const bytes = buildElf({ is64: true, littleEndian: true, machine: 62, functions: [], usdt: [] });
    bytes[4] = 3;
    writeFileSync(bad, bytes);
    expect(() => readElf(bad)).toThrow(ElfFormatError);
    expect(() => readElf(bad)).toThrow(`${bad}: unknown ELF class 3`);
    const text = join(dir, "text");
    writeFileSync(text, "#!/bin/sh\necho hello, this is not ELF\n");
    expect(() => readElf(text)).toThrow(`${text}: not an ELF file`);
  });
});
