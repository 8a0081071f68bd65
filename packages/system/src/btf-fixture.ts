/**
 * Builds BTF bytes for tests, by hand, following the layout in the kernel's
 * `Documentation/bpf/btf.rst` (header, then `struct btf_type` records with their trailing data,
 * then the NUL-separated string section). No pahole on the build machines, so the fixture is
 * assembled here instead of generated from C; `btf.test.ts` checks the reader on it and on this
 * machine's real /sys/kernel/btf/vmlinux.
 */
import { Kind } from "./btf.ts";

export class BtfBuilder {
  private readonly words: number[] = [];
  private readonly strings: string[] = [""];
  private readonly stringOffsets = new Map<string, number>([["", 0]]);
  private stringBytes = 1;
  private nextId: number;

  /** For split BTF: the base's last type id and string section length. */
  constructor(private readonly split?: { lastId: number; stringsEnd: number }) {
    this.nextId = split ? split.lastId + 1 : 1;
  }

  /** String offset of `s` (in split BTF, counted from the start of the base's string section). */
  str(s: string): number {
    if (s === "" && this.split) return 0;
    const hit = this.stringOffsets.get(s);
    if (hit !== undefined) return hit;
    const offset = (this.split?.stringsEnd ?? 0) + this.stringBytes;
    this.strings.push(s);
    this.stringOffsets.set(s, offset);
    this.stringBytes += s.length + 1;
    return offset;
  }

  private type(kind: Kind, name: string, vlen: number, sizeOrType: number, trailing: number[] = [], kindFlag = false): number {
    const info = ((kindFlag ? 1 : 0) << 31) | (kind << 24) | (vlen & 0xffff);
    this.words.push(this.str(name), info >>> 0, sizeOrType >>> 0, ...trailing.map((w) => w >>> 0));
    return this.nextId++;
  }

  int(name: string, bytes: number, signed: boolean): number {
    return this.type(Kind.Int, name, 0, bytes, [((signed ? 1 : 0) << 24) | (bytes * 8)]);
  }
  ptr(target: number): number {
    return this.type(Kind.Ptr, "", 0, target);
  }
  constOf(target: number): number {
    return this.type(Kind.Const, "", 0, target);
  }
  typedef(name: string, target: number): number {
    return this.type(Kind.Typedef, name, 0, target);
  }
  array(element: number, index: number, count: number): number {
    return this.type(Kind.Array, "", 0, 0, [element, index, count]);
  }
  /** Members as [name, type id, bit offset, bitfield size?]. */
  struct(name: string, bytes: number, members: [string, number, number, number?][], union = false): number {
    const bitfields = members.some((m) => m[3] !== undefined);
    const trailing = members.flatMap(([n, t, off, bits]) => [this.str(n), t, bitfields ? ((bits ?? 0) << 24) | off : off]);
    return this.type(union ? Kind.Union : Kind.Struct, name, members.length, bytes, trailing, bitfields);
  }
  enumeration(name: string, values: [string, number][]): number {
    return this.type(Kind.Enum, name, values.length, 4, values.flatMap(([n, v]) => [this.str(n), v]), values.some(([, v]) => v < 0));
  }
  fwd(name: string): number {
    return this.type(Kind.Fwd, name, 0, 0);
  }
  /** Parameters as [name, type id]; `variadic` adds the trailing `...` entry. */
  funcProto(returns: number, params: [string, number][], variadic = false): number {
    const trailing = params.flatMap(([n, t]) => [this.str(n), t]);
    if (variadic) trailing.push(0, 0);
    return this.type(Kind.FuncProto, "", params.length + (variadic ? 1 : 0), returns, trailing);
  }
  func(name: string, proto: number): number {
    return this.type(Kind.Func, name, 1 /* global linkage */, proto);
  }

  /** The BTF bytes, little-endian (x86-64, arm64) or big-endian (s390x): the kernel writes BTF in its own byte order. */
  build(littleEndian = true): Uint8Array {
    const typeLen = this.words.length * 4;
    const strLen = this.stringBytes;
    const out = new Uint8Array(24 + typeLen + strLen);
    const view = new DataView(out.buffer);
    const le = littleEndian;
    view.setUint16(0, 0xeb9f, le);
    out[2] = 1; // version
    out[3] = 0; // flags
    view.setUint32(4, 24, le); // hdr_len
    view.setUint32(8, 0, le); // type_off
    view.setUint32(12, typeLen, le);
    view.setUint32(16, typeLen, le); // str_off
    view.setUint32(20, strLen, le);
    this.words.forEach((w, i) => view.setUint32(24 + 4 * i, w, le));
    let p = 24 + typeLen + 1;
    for (const s of this.strings.slice(1)) {
      for (let i = 0; i < s.length; i++) out[p + i] = s.charCodeAt(i);
      p += s.length + 1;
    }
    return out;
  }
}

/**
 * A small kernel: `struct file`, `struct task_struct` (with an anonymous union and a bitfield),
 * `vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)`, a variadic function, a
 * function pointer member and an enum: the shapes the reader has to spell.
 */
export function smallKernelBtf(littleEndian = true): Uint8Array {
  const b = new BtfBuilder();
  const int = b.int("int", 4, true);
  const char = b.int("char", 1, true);
  const ulong = b.int("long unsigned int", 8, false);
  const llong = b.int("long long int", 8, true);
  const sizeT = b.typedef("size_t", ulong);
  const loffT = b.typedef("loff_t", llong);
  const pidT = b.typedef("pid_t", int);
  const file = b.struct("file", 16, []);
  const filePtr = b.ptr(file);
  const charPtr = b.ptr(char);
  const constChar = b.constOf(char);
  const constCharPtr = b.ptr(constChar);
  const comm = b.array(char, int, 16);
  const ssizeT = b.typedef("ssize_t", llong);
  const readProto = b.funcProto(ssizeT, [["file", filePtr], ["buf", charPtr], ["count", sizeT], ["pos", b.ptr(loffT)]]);
  b.func("vfs_read", readProto);
  const printkProto = b.funcProto(int, [["fmt", constCharPtr]], true);
  b.func("_printk", printkProto);
  const anon = b.struct("", 8, [["tgid", pidT, 0], ["flags_word", int, 32]], true);
  const readOp = b.ptr(readProto);
  const task = b.struct("task_struct", 64, [
    ["pid", pidT, 0],
    ["", anon, 64],
    ["comm", comm, 128],
    ["in_iowait", int, 256, 1],
    ["read_op", readOp, 320],
    ["filename", constCharPtr, 384],
  ]);
  b.ptr(task);
  b.enumeration("pid_type", [["PIDTYPE_PID", 0], ["PIDTYPE_MAX", 4], ["NEGATIVE", -1]]);
  b.fwd("sock");
  return b.build(littleEndian);
}
