/**
 * A small ELF reader (64-bit little-endian, the x86-64 and arm64 Linux format): section headers,
 * function symbols of `.symtab` and `.dynsym`, and note sections. It reads only the parts it needs
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
}

export interface ElfFile {
  path: string;
  /** ET_EXEC 2, ET_DYN 3 (PIE executables and shared libraries). */
  type: number;
  machine: number;
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

function readHeaderAndSections(r: Reader): ElfFile {
  const ident = r.bytes(0, Math.min(64, r.size));
  if (ident.length < 64 || ident.readUInt32BE(0) !== 0x7f454c46) throw new ElfFormatError(`${r.path}: not an ELF file`);
  if (ident[4] !== 2) throw new ElfFormatError(`${r.path}: 32-bit ELF is not supported`);
  if (ident[5] !== 1) throw new ElfFormatError(`${r.path}: big-endian ELF is not supported`);
  const type = ident.readUInt16LE(16);
  const machine = ident.readUInt16LE(18);
  const shoff = Number(ident.readBigUInt64LE(40));
  const shentsize = ident.readUInt16LE(58);
  let shnum = ident.readUInt16LE(60);
  let shstrndx = ident.readUInt16LE(62);
  if (shoff === 0) return { path: r.path, type, machine, sections: [], hasDebugInfo: false };
  if (shentsize < 64) throw new ElfFormatError(`${r.path}: section header entries of ${shentsize} bytes`);
  if (shnum === 0) shnum = Number(r.bytes(shoff + 32, 8).readBigUInt64LE(0)); // more than 0xff00 sections: count in section 0's sh_size
  const table = r.bytes(shoff, shnum * shentsize);
  if (shstrndx === 0xffff) shstrndx = table.readUInt32LE(40); // ...and the name table index in its sh_link
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const o = i * shentsize;
    raw.push({
      nameOff: table.readUInt32LE(o),
      type: table.readUInt32LE(o + 4),
      flags: table.readBigUInt64LE(o + 8),
      address: table.readBigUInt64LE(o + 16),
      offset: Number(table.readBigUInt64LE(o + 24)),
      size: Number(table.readBigUInt64LE(o + 32)),
      link: table.readUInt32LE(o + 40),
      entrySize: Number(table.readBigUInt64LE(o + 56)),
    });
  }
  const names = shstrndx < raw.length && raw[shstrndx].type !== SHT_NOBITS ? r.bytes(raw[shstrndx].offset, raw[shstrndx].size) : Buffer.alloc(0);
  const sections = raw.map(({ nameOff, ...s }) => ({ name: cString(names, nameOff), ...s }));
  return { path: r.path, type, machine, sections, hasDebugInfo: sections.some((s) => s.name === ".debug_info" && s.size > 0) };
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
  return withReader(path, readHeaderAndSections);
}

const BINDINGS = ["local", "global", "weak"] as const;

/** Defined function symbols (STT_FUNC and GNU indirect functions) of `.symtab` and `.dynsym`. */
export function readFunctionSymbols(path: string): ElfSymbol[] {
  return withReader(path, (r) => {
    const elf = readHeaderAndSections(r);
    const out: ElfSymbol[] = [];
    const seen = new Set<string>();
    for (const tableName of [".symtab", ".dynsym"] as const) {
      const sec = elf.sections.find((s) => s.name === tableName && (s.type === SHT_SYMTAB || s.type === SHT_DYNSYM));
      if (!sec || sec.size === 0) continue;
      const strSec = elf.sections[sec.link];
      if (!strSec) throw new ElfFormatError(`${path}: ${tableName} links to a missing string table`);
      const strings = r.bytes(strSec.offset, strSec.size);
      const entry = sec.entrySize || 24;
      const data = r.bytes(sec.offset, sec.size);
      for (let o = 0; o + entry <= data.length; o += entry) {
        const info = data[o + 4];
        const kind = info & 0xf;
        if (kind !== STT_FUNC && kind !== STT_GNU_IFUNC) continue;
        if (data.readUInt16LE(o + 6) === SHN_UNDEF) continue;
        const name = cString(strings, data.readUInt32LE(o));
        if (name === "" || seen.has(name)) continue;
        seen.add(name);
        out.push({
          name,
          address: data.readBigUInt64LE(o + 8),
          size: Number(data.readBigUInt64LE(o + 16)),
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
    const elf = readHeaderAndSections(r);
    const out: ElfNote[] = [];
    for (const sec of elf.sections) {
      if (sec.name !== sectionName || sec.type !== SHT_NOTE) continue;
      const data = r.bytes(sec.offset, sec.size);
      const align4 = (n: number) => (n + 3) & ~3;
      for (let o = 0; o + 12 <= data.length; ) {
        const namesz = data.readUInt32LE(o);
        const descsz = data.readUInt32LE(o + 4);
        const type = data.readUInt32LE(o + 8);
        const nameStart = o + 12;
        const descStart = nameStart + align4(namesz);
        if (descStart + descsz > data.length) throw new ElfFormatError(`${path}: note in ${sectionName} runs past its section`);
        out.push({ name: data.toString("latin1", nameStart, nameStart + Math.max(0, namesz - 1)), type, desc: data.subarray(descStart, descStart + descsz) });
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
