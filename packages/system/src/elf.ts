/**
 * A small ELF reader (32- and 64-bit, either byte order): section headers, function symbols of
 * `.symtab` and `.dynsym`, and note sections. It reads only the parts it needs
 * with positioned reads, so a 500 MB binary costs its section headers and symbol tables.
 * No npm ELF reader is both maintained and able to read symbols and notes without loading the
 * whole file (elfy, elfinfo: unmaintained, whole-file buffers), hence this one.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

export class ElfFormatError extends Error {}

export const SHT_SYMTAB = 2;
export const SHT_NOTE = 7;
export const SHT_DYNSYM = 11;
const SHT_NOBITS = 8;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const SHN_UNDEF = 0;

export interface ElfSection {
  name: string;
  type: number;
  flags: bigint;
  address: bigint;
  offset: number;
  size: number;
  link: number;
  entrySize: number;
}

export interface ElfSymbol {
  /** As stored (mangled for C++). */
  name: string;
  address: bigint;
  size: number;
  binding: "local" | "global" | "weak" | "other";
  /** Which table it came from; a name in both is listed once, from `.symtab`. */
  table: ".symtab" | ".dynsym";
}

export interface ElfNote {
  name: string;
  type: number;
  desc: Uint8Array;
  /** The file's class and byte order: a note's descriptor holds addresses of the file's word size (USDT). */
  is64: boolean;
  littleEndian: boolean;
}

export interface ElfFile {
  path: string;
  /** ET_EXEC 2, ET_DYN 3 (PIE executables and shared libraries). */
  type: number;
  machine: number;
  /** ELFCLASS64 (true) or ELFCLASS32. */
  is64: boolean;
  littleEndian: boolean;
  sections: ElfSection[];
  /** Whether `.debug_info` is present (DWARF parameters can be read). */
  hasDebugInfo: boolean;
}

class Reader {
  private readonly fd: number;
  readonly size: number;
  constructor(readonly path: string) {
    this.fd = openSync(path, "r");
    this.size = fstatSync(this.fd).size;
  }
  bytes(offset: number, length: number): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.size) throw new ElfFormatError(`${this.path}: read of ${length} bytes at ${offset} is past the end of the file`);
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, offset + done);
      if (n === 0) throw new ElfFormatError(`${this.path}: unexpected end of file`);
      done += n;
    }
    return buf;
  }
  close(): void {
    closeSync(this.fd);
  }
}

function cString(buf: Buffer, offset: number): string {
  if (offset >= buf.length) return "";
  const end = buf.indexOf(0, offset);
  return buf.toString("latin1", offset, end < 0 ? buf.length : end);
}

/** Reads integers of one ELF class and byte order; addresses (and 64-bit sizes) as bigint. */
class Layout {
  constructor(
    readonly is64: boolean,
    readonly littleEndian: boolean,
  ) {}
  u16(b: Buffer, o: number): number {
    return this.littleEndian ? b.readUInt16LE(o) : b.readUInt16BE(o);
  }
  u32(b: Buffer, o: number): number {
    return this.littleEndian ? b.readUInt32LE(o) : b.readUInt32BE(o);
  }
  /** A word of the file's class: 4 bytes in ELF32, 8 in ELF64. */
  word(b: Buffer, o: number): bigint {
    if (!this.is64) return BigInt(this.u32(b, o));
    return this.littleEndian ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o);
  }
}

/** Field offsets of the ELF header and section header (`Elf32_Ehdr`/`Elf64_Ehdr`, `Elf32_Shdr`/`Elf64_Shdr`). */
const HEADER = {
  32: { size: 52, shoff: 32, shentsize: 46, shnum: 48, shstrndx: 50, sh: { size: 40, flags: 8, addr: 12, offset: 16, sz: 20, link: 24, entsize: 36 } },
  64: { size: 64, shoff: 40, shentsize: 58, shnum: 60, shstrndx: 62, sh: { size: 64, flags: 8, addr: 16, offset: 24, sz: 32, link: 40, entsize: 56 } },
} as const;

function layoutOf(r: Reader): Layout {
  const ident = r.bytes(0, Math.min(16, r.size));
  if (ident.length < 16 || ident.readUInt32BE(0) !== 0x7f454c46) throw new ElfFormatError(`${r.path}: not an ELF file`);
  if (ident[4] !== 1 && ident[4] !== 2) throw new ElfFormatError(`${r.path}: unknown ELF class ${ident[4]}`);
  if (ident[5] !== 1 && ident[5] !== 2) throw new ElfFormatError(`${r.path}: unknown ELF byte order ${ident[5]}`);
  return new Layout(ident[4] === 2, ident[5] === 1);
}

function readHeaderAndSections(r: Reader): { elf: ElfFile; layout: Layout } {
  const L = layoutOf(r);
  const H = HEADER[L.is64 ? 64 : 32];
  if (r.size < H.size) throw new ElfFormatError(`${r.path}: ELF header is cut short`);
  const header = r.bytes(0, H.size);
  const type = L.u16(header, 16);
  const machine = L.u16(header, 18);
  const shoff = Number(L.word(header, H.shoff));
  const shentsize = L.u16(header, H.shentsize);
  let shnum = L.u16(header, H.shnum);
  let shstrndx = L.u16(header, H.shstrndx);
  const base = { path: r.path, type, machine, is64: L.is64, littleEndian: L.littleEndian };
  if (shoff === 0) return { elf: { ...base, sections: [], hasDebugInfo: false }, layout: L };
  if (shentsize < H.sh.size) throw new ElfFormatError(`${r.path}: section header entries of ${shentsize} bytes`);
  if (shnum === 0) shnum = Number(L.word(r.bytes(shoff, H.sh.size), H.sh.sz)); // more than 0xff00 sections: count in section 0's sh_size
  const table = r.bytes(shoff, shnum * shentsize);
  if (shstrndx === 0xffff) shstrndx = L.u32(table, H.sh.link); // ...and the name table index in its sh_link
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const o = i * shentsize;
    raw.push({
      nameOff: L.u32(table, o),
      type: L.u32(table, o + 4),
      flags: L.word(table, o + H.sh.flags),
      address: L.word(table, o + H.sh.addr),
      offset: Number(L.word(table, o + H.sh.offset)),
      size: Number(L.word(table, o + H.sh.sz)),
      link: L.u32(table, o + H.sh.link),
      entrySize: Number(L.word(table, o + H.sh.entsize)),
    });
  }
  const names = shstrndx < raw.length && raw[shstrndx].type !== SHT_NOBITS ? r.bytes(raw[shstrndx].offset, raw[shstrndx].size) : Buffer.alloc(0);
  const sections = raw.map(({ nameOff, ...s }) => ({ name: cString(names, nameOff), ...s }));
  return { elf: { ...base, sections, hasDebugInfo: sections.some((s) => s.name === ".debug_info" && s.size > 0) }, layout: L };
}

function withReader<T>(path: string, f: (r: Reader) => T): T {
  const r = new Reader(path);
  try {
    return f(r);
  } finally {
    r.close();
  }
}

export function readElf(path: string): ElfFile {
  return withReader(path, (r) => readHeaderAndSections(r).elf);
}

const BINDINGS = ["local", "global", "weak"] as const;

/** Defined function symbols (STT_FUNC and GNU indirect functions) of `.symtab` and `.dynsym`. */
export function readFunctionSymbols(path: string): ElfSymbol[] {
  return withReader(path, (r) => {
    const { elf, layout: L } = readHeaderAndSections(r);
    const out: ElfSymbol[] = [];
    const seen = new Set<string>();
    for (const tableName of [".symtab", ".dynsym"] as const) {
      const sec = elf.sections.find((s) => s.name === tableName && (s.type === SHT_SYMTAB || s.type === SHT_DYNSYM));
      if (!sec || sec.size === 0) continue;
      const strSec = elf.sections[sec.link];
      if (!strSec) throw new ElfFormatError(`${path}: ${tableName} links to a missing string table`);
      const strings = r.bytes(strSec.offset, strSec.size);
      // Elf64_Sym: name, info, other, shndx, value, size; Elf32_Sym: name, value, size, info, other, shndx.
      const S = L.is64 ? { size: 24, info: 4, shndx: 6, value: 8, sz: 16 } : { size: 16, info: 12, shndx: 14, value: 4, sz: 8 };
      const entry = sec.entrySize || S.size;
      if (entry < S.size) throw new ElfFormatError(`${path}: ${tableName} entries of ${entry} bytes`);
      const data = r.bytes(sec.offset, sec.size);
      for (let o = 0; o + entry <= data.length; o += entry) {
        const info = data[o + S.info];
        const kind = info & 0xf;
        if (kind !== STT_FUNC && kind !== STT_GNU_IFUNC) continue;
        if (L.u16(data, o + S.shndx) === SHN_UNDEF) continue;
        const name = cString(strings, L.u32(data, o));
        if (name === "" || seen.has(name)) continue;
        seen.add(name);
        out.push({
          name,
          address: L.word(data, o + S.value),
          size: Number(L.word(data, o + S.sz)),
          binding: BINDINGS[info >> 4] ?? "other",
          table: tableName,
        });
      }
    }
    return out;
  });
}

/** Notes of the SHT_NOTE sections named `sectionName` (e.g. `.note.stapsdt`). */
export function readNotes(path: string, sectionName: string): ElfNote[] {
  return withReader(path, (r) => {
    const { elf, layout: L } = readHeaderAndSections(r);
    const out: ElfNote[] = [];
    for (const sec of elf.sections) {
      if (sec.name !== sectionName || sec.type !== SHT_NOTE) continue;
      const data = r.bytes(sec.offset, sec.size);
      const align4 = (n: number) => (n + 3) & ~3;
      for (let o = 0; o + 12 <= data.length; ) {
        const namesz = L.u32(data, o);
        const descsz = L.u32(data, o + 4);
        const type = L.u32(data, o + 8);
        const nameStart = o + 12;
        const descStart = nameStart + align4(namesz);
        if (descStart + descsz > data.length) throw new ElfFormatError(`${path}: note in ${sectionName} runs past its section`);
        out.push({ name: data.toString("latin1", nameStart, nameStart + Math.max(0, namesz - 1)), type, desc: data.subarray(descStart, descStart + descsz), is64: L.is64, littleEndian: L.littleEndian });
        o = descStart + align4(descsz);
      }
    }
    return out;
  });
}

/** Whether the file starts with the ELF magic (cheap check before treating a path as a binary). */
export function isElf(path: string): boolean {
  try {
    return withReader(path, (r) => r.size >= 4 && r.bytes(0, 4).readUInt32BE(0) === 0x7f454c46);
  } catch {
    return false;
  }
}
