/**
 * Builds small ELF files by hand, in either class and byte order, following the System V ABI's
 * `Elf32_*`/`Elf64_*` layouts: a header, `.symtab` + `.strtab` with the given functions,
 * `.note.stapsdt` with the given USDT probes, and `.shstrtab`. The build machines have no
 * big-endian toolchain (and binutils' objcopy cannot change byte order), so the reader's
 * big-endian paths are tested on these; `elf.test.ts` checks the fixtures themselves with readelf.
 */

export interface ElfFixture {
  is64: boolean;
  littleEndian: boolean;
  /** EM_* of the header: 3 i386, 62 x86-64, 20 PowerPC, 22 s390. */
  machine: number;
  functions: { name: string; address: number; size: number }[];
  usdt: { provider: string; name: string; address: number; semaphore: number; args: string }[];
}

class Bytes {
  readonly parts: Buffer[] = [];
  length = 0;
  constructor(private readonly le: boolean) {}
  u8(v: number) {
    this.push(Buffer.from([v]));
  }
  u16(v: number) {
    const b = Buffer.alloc(2);
    if (this.le) b.writeUInt16LE(v);
    else b.writeUInt16BE(v);
    this.push(b);
  }
  u32(v: number) {
    const b = Buffer.alloc(4);
    if (this.le) b.writeUInt32LE(v);
    else b.writeUInt32BE(v);
    this.push(b);
  }
  u64(v: number) {
    const b = Buffer.alloc(8);
    if (this.le) b.writeBigUInt64LE(BigInt(v));
    else b.writeBigUInt64BE(BigInt(v));
    this.push(b);
  }
  push(b: Buffer) {
    this.parts.push(b);
    this.length += b.length;
  }
  align(n: number) {
    while (this.length % n) this.u8(0);
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A string table: offsets of each string, the table's bytes. */
function stringTable(strings: string[]): { offsets: Map<string, number>; bytes: Buffer } {
  const offsets = new Map<string, number>();
  let text = "\0";
  for (const s of strings) {
    if (offsets.has(s)) continue;
    offsets.set(s, text.length);
    text += `${s}\0`;
  }
  return { offsets, bytes: Buffer.from(text, "latin1") };
}

export function buildElf(f: ElfFixture): Buffer {
  const word = f.is64 ? 8 : 4;
  const le = f.littleEndian;
  const w = (b: Bytes, v: number) => (f.is64 ? b.u64(v) : b.u32(v));

  const strtab = stringTable(f.functions.map((fn) => fn.name));
  const symtab = new Bytes(le);
  for (let i = 0; i < (f.is64 ? 24 : 16); i++) symtab.u8(0); // symbol 0 is the null symbol
  for (const fn of f.functions) {
    const info = (1 << 4) | 2; // STB_GLOBAL, STT_FUNC
    const name = strtab.offsets.get(fn.name)!;
    if (f.is64) {
      symtab.u32(name), symtab.u8(info), symtab.u8(0), symtab.u16(1), symtab.u64(fn.address), symtab.u64(fn.size);
    } else {
      symtab.u32(name), symtab.u32(fn.address), symtab.u32(fn.size), symtab.u8(info), symtab.u8(0), symtab.u16(1);
    }
  }
  const notes = new Bytes(le);
  for (const p of f.usdt) {
    const desc = new Bytes(le);
    w(desc, p.address), w(desc, 0), w(desc, p.semaphore);
    desc.push(Buffer.from(`${p.provider}\0${p.name}\0${p.args}\0`, "latin1"));
    const d = desc.bytes();
    notes.u32(8), notes.u32(d.length), notes.u32(3); // "stapsdt\0", NT_STAPSDT
    notes.push(Buffer.from("stapsdt\0", "latin1"));
    notes.push(d);
    notes.align(4);
  }

  const names = [".text", ".symtab", ".strtab", ".note.stapsdt", ".shstrtab"];
  const shstrtab = stringTable(names);
  const headerSize = f.is64 ? 64 : 52;
  const text = Buffer.alloc(16, 0x90);
  // Section data follows the header, each aligned to 8; section headers come last.
  const body = new Bytes(le);
  const place = (data: Buffer) => {
    body.align(8);
    const offset = headerSize + body.length;
    body.push(data);
    return { offset, size: data.length };
  };
  const at = {
    text: place(text),
    symtab: place(symtab.bytes()),
    strtab: place(strtab.bytes),
    notes: place(notes.bytes()),
    shstrtab: place(shstrtab.bytes),
  };
  body.align(8);
  const shoff = headerSize + body.length;

  const header = new Bytes(le);
  header.push(Buffer.from([0x7f, 0x45, 0x4c, 0x46, f.is64 ? 2 : 1, le ? 1 : 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  header.u16(2), header.u16(f.machine), header.u32(1); // ET_EXEC, machine, EV_CURRENT
  w(header, 0x1000), w(header, 0), w(header, shoff); // entry, phoff, shoff
  header.u32(0), header.u16(headerSize), header.u16(0), header.u16(0); // flags, ehsize, phentsize, phnum
  header.u16(f.is64 ? 64 : 40), header.u16(6), header.u16(5); // shentsize, shnum, shstrndx

  const sh = new Bytes(le);
  const section = (name: string, type: number, loc: { offset: number; size: number }, link = 0, entsize = 0, flags = 0, address = 0) => {
    sh.u32(name === "" ? 0 : shstrtab.offsets.get(name)!), sh.u32(type);
    w(sh, flags), w(sh, address), w(sh, loc.offset), w(sh, loc.size);
    sh.u32(link), sh.u32(type === 2 ? 1 : 0); // sh_info of .symtab: index of the first non-local symbol
    w(sh, type === 7 ? 4 : 8), w(sh, entsize);
  };
  section("", 0, { offset: 0, size: 0 });
  section(".text", 1, at.text, 0, 0, 6, 0x1000);
  section(".symtab", 2, at.symtab, 3, word === 8 ? 24 : 16);
  section(".strtab", 3, at.strtab);
  section(".note.stapsdt", 7, at.notes);
  section(".shstrtab", 3, at.shstrtab);
  return Buffer.concat([header.bytes(), body.bytes(), sh.bytes()]);
}
