/**
 * A reader of BTF, the kernel's compact type format (layout: the kernel's
 * `Documentation/bpf/btf.rst`). One pass records where each type starts; names, members and
 * indexes are decoded on request, so opening the whole vmlinux BTF costs one walk over ~5 MB.
 *
 * Split BTF (kernel modules under /sys/kernel/btf/<module>) continues the numbering and the string
 * section of its base (vmlinux): type ids above the base's last id and string offsets past the
 * base's string section belong to the module.
 */

export const BTF_MAGIC = 0xeb9f;

/** BTF_KIND_* values (btf.rst, "2.2 Type encoding"). */
export enum Kind {
  Unknown = 0,
  Int = 1,
  Ptr = 2,
  Array = 3,
  Struct = 4,
  Union = 5,
  Enum = 6,
  Fwd = 7,
  Typedef = 8,
  Volatile = 9,
  Const = 10,
  Restrict = 11,
  Func = 12,
  FuncProto = 13,
  Var = 14,
  Datasec = 15,
  Float = 16,
  DeclTag = 17,
  TypeTag = 18,
  Enum64 = 19,
}

const TYPE_HEADER_BYTES = 12;

export class BtfFormatError extends Error {}

export interface BtfMember {
  name: string;
  typeId: number;
  type: string;
  /** Offset from the start of the struct, in bits. */
  bitOffset: number;
  /** Bitfield width in bits; 0 when the member is not a bitfield. */
  bitSize: number;
}

export interface BtfParam {
  name: string;
  typeId: number;
  type: string;
}

export interface BtfFunction {
  name: string;
  returnType: string;
  params: BtfParam[];
  /** `...` after the named parameters. */
  variadic: boolean;
}

export interface BtfEnumValue {
  name: string;
  value: bigint;
}

function kindOf(info: number): number {
  return (info >>> 24) & 0x1f;
}

/** Bytes that follow the 12-byte `struct btf_type` for a kind (btf.rst, "2.2 Type encoding"). */
function trailingBytes(kind: number, vlen: number): number {
  switch (kind) {
    case Kind.Int:
      return 4;
    case Kind.Array:
      return 12;
    case Kind.Struct:
    case Kind.Union:
      return 12 * vlen;
    case Kind.Enum:
      return 8 * vlen;
    case Kind.FuncProto:
      return 8 * vlen;
    case Kind.Var:
      return 4;
    case Kind.Datasec:
      return 12 * vlen;
    case Kind.DeclTag:
      return 4;
    case Kind.Enum64:
      return 12 * vlen;
    case Kind.Ptr:
    case Kind.Fwd:
    case Kind.Typedef:
    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.Func:
    case Kind.Float:
    case Kind.TypeTag:
      return 0;
    default:
      throw new BtfFormatError(`unknown BTF kind ${kind}`);
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of a string's UTF-16 code units; equal to Btf's hash of the same latin1 bytes. */
function textHash(text: string): number {
  let hash = FNV_OFFSET;
  for (let k = 0; k < text.length; k++) hash = Math.imul(hash ^ text.charCodeAt(k), FNV_PRIME);
  return hash;
}

/**
 * Entries `0..count-1` found by name, each name a string offset into a BTF file: a hash table of
 * chains in two Int32Arrays (~8 bytes an entry), instead of a Map from JS strings (~90 bytes an
 * entry with its key; vmlinux has ~110,000 named types). Entries of one name come in index order.
 */
class NameChains {
  /** Per bucket, the first entry + 1 (0: none). */
  private readonly heads: Int32Array;
  /** Per entry, the next entry + 1 in its bucket's chain. */
  private readonly next: Int32Array;

  /**
   * `nameOf` gives an entry's name as a string offset (0: unnamed, left out), `hashOf` the hash
   * of the string at an offset and `nameIs` whether it is a given text.
   */
  constructor(
    count: number,
    private readonly nameOf: (entry: number) => number,
    hashOf: (offset: number) => number,
    private readonly nameIs: (offset: number, text: string) => boolean,
  ) {
    let size = 16;
    while (size < count) size *= 2;
    this.heads = new Int32Array(size);
    this.next = new Int32Array(count);
    // Backwards, each entry put in front: every chain is then in index order.
    for (let i = count - 1; i >= 0; i--) {
      const offset = nameOf(i);
      if (offset === 0) continue;
      const bucket = hashOf(offset) & (size - 1);
      this.next[i] = this.heads[bucket];
      this.heads[bucket] = i + 1;
    }
  }

  /** Calls `visit` with each entry named `text`, in index order, until it returns true. */
  forEach(text: string, visit: (entry: number) => boolean | void): void {
    for (let e = this.heads[textHash(text) & (this.heads.length - 1)]; e !== 0; e = this.next[e - 1]) {
      if (this.nameIs(this.nameOf(e - 1), text) && visit(e - 1)) return;
    }
  }
}

export class Btf {
  private readonly view: DataView;
  /** Byte order of the file: BTF is written in the order of the kernel it describes (s390x, big-endian PowerPC: big). */
  private readonly le: boolean;
  private readonly typeStart: number;
  private readonly strStart: number;
  private readonly strLen: number;
  /** Byte offset (into `bytes`) of each own type, by `id - firstId`. */
  private readonly offsets: Uint32Array;
  private readonly kinds: Uint8Array;
  /** The first type id of this file (1 for vmlinux; base.lastId + 1 for split BTF). */
  readonly firstId: number;
  readonly lastId: number;
  private readonly strBase: number;
  /** Own types by name (their indexes, `id - firstId`), made on the first lookup by name. */
  private nameIndex?: NameChains;
  /** Own enumerators by name, made on the first lookup of one. */
  private enumeratorIndex?: { chains: NameChains; typeIds: Uint32Array; positions: Uint16Array };
  /** `bytes` as a Buffer (the same memory), for decoding latin1 names. */
  private readonly buffer: Buffer;

  constructor(
    private readonly bytes: Uint8Array,
    readonly base?: Btf,
  ) {
    if (bytes.byteLength < 24) throw new BtfFormatError("too short for a BTF header");
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const magic = this.view.getUint16(0, true);
    if (magic !== BTF_MAGIC && magic !== 0x9feb) throw new BtfFormatError(`bad magic 0x${magic.toString(16)} (expected 0xeb9f)`);
    this.le = magic === BTF_MAGIC;
    if (base && base.le !== this.le) throw new BtfFormatError("split BTF and its base are in different byte orders");
    const version = bytes[2];
    if (version !== 1) throw new BtfFormatError(`BTF version ${version} (expected 1)`);
    const hdrLen = this.view.getUint32(4, this.le);
    const typeOff = this.view.getUint32(8, this.le);
    const typeLen = this.view.getUint32(12, this.le);
    const strOff = this.view.getUint32(16, this.le);
    const strLen = this.view.getUint32(20, this.le);
    this.typeStart = hdrLen + typeOff;
    this.strStart = hdrLen + strOff;
    this.strLen = strLen;
    if (this.typeStart + typeLen > bytes.byteLength || this.strStart + strLen > bytes.byteLength) {
      throw new BtfFormatError("type or string section runs past the end of the data");
    }
    this.firstId = base ? base.lastId + 1 : 1;
    this.strBase = base ? base.stringsEnd : 0;

    // Walk once: where each type starts and its kind.
    let offsets = new Uint32Array(Math.max(16, typeLen >>> 4));
    let kinds = new Uint8Array(offsets.length);
    let count = 0;
    const end = this.typeStart + typeLen;
    for (let p = this.typeStart; p < end; ) {
      if (p + TYPE_HEADER_BYTES > end) throw new BtfFormatError(`truncated type at byte ${p}`);
      const info = this.view.getUint32(p + 4, this.le);
      const kind = kindOf(info);
      if (count === offsets.length) {
        const grown = new Uint32Array(offsets.length * 2);
        grown.set(offsets);
        offsets = grown;
        const grownKinds = new Uint8Array(grown.length);
        grownKinds.set(kinds);
        kinds = grownKinds;
      }
      offsets[count] = p;
      kinds[count] = kind;
      count++;
      p += TYPE_HEADER_BYTES + trailingBytes(kind, info & 0xffff);
    }
    // Copies, so the slack of the arrays grown above is not kept with them.
    this.offsets = offsets.slice(0, count);
    this.kinds = kinds.slice(0, count);
    this.lastId = this.firstId + count - 1;
  }

  /** Offsets past this are a split BTF's own strings. */
  get stringsEnd(): number {
    return this.strBase + this.strLen;
  }

  /** Number of types in this file (not counting the base). */
  get typeCount(): number {
    return this.offsets.length;
  }

  /**
   * The string at `offset`, decoded from the file's bytes on each call: the strings are not kept
   * as JS strings (vmlinux's string section is 2.3 MB), and a name asked for is a string of its
   * own, not a slice that would keep a larger string alive.
   */
  string(offset: number): string {
    if (offset < this.strBase) return this.base!.string(offset);
    const start = this.stringStart(offset);
    return this.buffer.toString("latin1", start, this.stringEnd(start));
  }

  /** Where the string at `offset` (one of this file's own) starts in `bytes`. */
  private stringStart(offset: number): number {
    const local = offset - this.strBase;
    if (local >= this.strLen) throw new BtfFormatError(`string offset ${offset} is past the string section`);
    return this.strStart + local;
  }

  /** Where the string starting at `start` ends (its NUL, or the end of the section). */
  private stringEnd(start: number): number {
    const stop = this.buffer.indexOf(0, start);
    const sectionEnd = this.strStart + this.strLen;
    return stop < 0 || stop > sectionEnd ? sectionEnd : stop;
  }

  /** Whether the string at `offset` (in this file or its base) is `text`. */
  private stringIs(offset: number, text: string): boolean {
    if (offset < this.strBase) return this.base!.stringIs(offset, text);
    const start = this.stringStart(offset);
    if (this.stringEnd(start) - start !== text.length) return false;
    for (let k = 0; k < text.length; k++) if (this.bytes[start + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  /** The hash NameChains uses, of the string at `offset` (in this file or its base). */
  private stringHash(offset: number): number {
    if (offset < this.strBase) return this.base!.stringHash(offset);
    const start = this.stringStart(offset);
    const end = this.stringEnd(start);
    let hash = FNV_OFFSET;
    for (let p = start; p < end; p++) hash = Math.imul(hash ^ this.bytes[p], FNV_PRIME);
    return hash;
  }

  private owner(id: number): Btf {
    if (id < this.firstId) {
      if (!this.base) throw new BtfFormatError(`type id ${id} is not in this BTF`);
      return this.base;
    }
    if (id > this.lastId) throw new BtfFormatError(`type id ${id} is past the last type ${this.lastId}`);
    return this;
  }

  private at(id: number): number {
    return this.offsets[id - this.firstId];
  }

  kind(id: number): Kind {
    if (id === 0) return Kind.Unknown;
    const o = this.owner(id);
    return o.kinds[id - o.firstId] as Kind;
  }

  private u32(id: number, field: number): number {
    const o = this.owner(id);
    return o.view.getUint32(o.at(id) + field, o.le);
  }

  name(id: number): string {
    if (id === 0) return "void";
    return this.string(this.u32(id, 0));
  }

  vlen(id: number): number {
    return this.u32(id, 4) & 0xffff;
  }

  kindFlag(id: number): boolean {
    return (this.u32(id, 4) & 0x80000000) !== 0;
  }

  /** `size` of INT, STRUCT, UNION, ENUM, DATASEC, FLOAT; `type` of the others. */
  sizeOrType(id: number): number {
    return this.u32(id, 8);
  }

  /** The i-th 32-bit word after the 12-byte header. */
  private trailing(id: number, word: number): number {
    return this.u32(id, TYPE_HEADER_BYTES + 4 * word);
  }

  /** Ids of the types named `name` (in this file and its base), in id order. */
  idsNamed(name: string): number[] {
    const own: number[] = [];
    this.nameIndex ??= this.chains(this.offsets.length, (i) => this.view.getUint32(this.offsets[i], this.le));
    this.nameIndex.forEach(name, (i) => void own.push(this.firstId + i));
    return this.base ? [...this.base.idsNamed(name), ...own] : own;
  }

  /**
   * The value of the first own enumerator named `name` (those of ENUMs before those of ENUM64s,
   * each in id order), or undefined.
   */
  enumerator(name: string): bigint | undefined {
    const index = (this.enumeratorIndex ??= this.indexEnumerators());
    let value: bigint | undefined;
    index.chains.forEach(name, (i) => {
      value = this.enumeratorValue(index.typeIds[i], index.positions[i]);
      return true;
    });
    return value;
  }

  private indexEnumerators(): { chains: NameChains; typeIds: Uint32Array; positions: Uint16Array } {
    const ids = [...this.idsOfKind(Kind.Enum), ...this.idsOfKind(Kind.Enum64)];
    let count = 0;
    for (const id of ids) count += this.vlen(id);
    const typeIds = new Uint32Array(count);
    const positions = new Uint16Array(count);
    let n = 0;
    for (const id of ids) {
      for (let i = 0, vlen = this.vlen(id); i < vlen; i++, n++) {
        typeIds[n] = id;
        positions[n] = i;
      }
    }
    const chains = this.chains(count, (i) => this.enumeratorName(typeIds[i], positions[i]));
    return { chains, typeIds, positions };
  }

  /** Entries `0..count-1` of this file found by their names, string offsets in this file or its base. */
  private chains(count: number, nameOf: (entry: number) => number): NameChains {
    return new NameChains(count, nameOf, (offset) => this.stringHash(offset), (offset, text) => this.stringIs(offset, text));
  }

  /** String offset of the name of the `i`-th enumerator of an ENUM or ENUM64. */
  private enumeratorName(id: number, i: number): number {
    return this.trailing(id, (this.kind(id) === Kind.Enum ? 2 : 3) * i);
  }

  private enumeratorValue(id: number, i: number): bigint {
    const signed = this.kindFlag(id);
    if (this.kind(id) === Kind.Enum) {
      const raw = this.trailing(id, 2 * i + 1);
      return BigInt(signed ? raw | 0 : raw);
    }
    const v = (BigInt(this.trailing(id, 3 * i + 2)) << 32n) | BigInt(this.trailing(id, 3 * i + 1));
    return signed ? BigInt.asIntN(64, v) : v;
  }

  /** Own type ids of one kind, in id order. */
  *idsOfKind(kind: Kind): Generator<number> {
    for (let i = 0; i < this.kinds.length; i++) if (this.kinds[i] === kind) yield this.firstId + i;
  }

  /** Names of the own FUNC types (kernel functions with BTF). */
  functionNames(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.kinds.length; i++) {
      if (this.kinds[i] === Kind.Func) out.push(this.string(this.view.getUint32(this.offsets[i], this.le)));
    }
    return out;
  }

  /** Follows typedefs and qualifiers (const, volatile, restrict, type tags) to the type they name. */
  resolve(id: number): number {
    for (let guard = 0; guard < 64 && id !== 0; guard++) {
      const k = this.kind(id);
      if (k !== Kind.Typedef && k !== Kind.Const && k !== Kind.Volatile && k !== Kind.Restrict && k !== Kind.TypeTag) return id;
      id = this.sizeOrType(id);
    }
    return id;
  }

  /** The first type of a kind with this name: `find("task_struct", Kind.Struct)`. */
  find(name: string, ...kinds: Kind[]): number | undefined {
    return this.idsNamed(name).find((id) => kinds.includes(this.kind(id)));
  }

  /** Members of a struct or union; `flatten` also lists the members of anonymous struct/union members (C11 lets you name them directly). */
  members(id: number, flatten = false): BtfMember[] {
    const k = this.kind(id);
    if (k !== Kind.Struct && k !== Kind.Union) return [];
    const out: BtfMember[] = [];
    const bitfields = this.kindFlag(id);
    const n = this.vlen(id);
    for (let i = 0; i < n; i++) {
      const nameOff = this.trailing(id, 3 * i);
      const typeId = this.trailing(id, 3 * i + 1);
      const offset = this.trailing(id, 3 * i + 2);
      const bitOffset = bitfields ? offset & 0xffffff : offset;
      const bitSize = bitfields ? offset >>> 24 : 0;
      const name = nameOff === 0 ? "" : this.string(nameOff);
      if (name === "" && flatten) {
        const inner = this.resolve(typeId);
        for (const m of this.members(inner, true)) out.push({ ...m, bitOffset: m.bitOffset + bitOffset });
        continue;
      }
      out.push({ name, typeId, type: this.typeName(typeId), bitOffset, bitSize });
    }
    return out;
  }

  enumValues(id: number): BtfEnumValue[] {
    const k = this.kind(id);
    if (k !== Kind.Enum && k !== Kind.Enum64) return [];
    const out: BtfEnumValue[] = [];
    for (let i = 0, n = this.vlen(id); i < n; i++) out.push({ name: this.string(this.enumeratorName(id, i)), value: this.enumeratorValue(id, i) });
    return out;
  }

  /** Parameters of a FUNC (through its FUNC_PROTO) or of a FUNC_PROTO. */
  signature(id: number): BtfFunction | undefined {
    let proto = id;
    let name = "";
    if (this.kind(id) === Kind.Func) {
      name = this.name(id);
      proto = this.sizeOrType(id);
    }
    if (this.kind(proto) !== Kind.FuncProto) return undefined;
    const params: BtfParam[] = [];
    let variadic = false;
    const n = this.vlen(proto);
    for (let i = 0; i < n; i++) {
      const nameOff = this.trailing(proto, 2 * i);
      const typeId = this.trailing(proto, 2 * i + 1);
      if (nameOff === 0 && typeId === 0 && i === n - 1) {
        variadic = true;
        break;
      }
      params.push({ name: nameOff === 0 ? "" : this.string(nameOff), typeId, type: this.typeName(typeId) });
    }
    return { name, returnType: this.typeName(this.sizeOrType(proto)), params, variadic };
  }

  arrayInfo(id: number): { elementType: number; count: number } | undefined {
    if (this.kind(id) !== Kind.Array) return undefined;
    return { elementType: this.trailing(id, 0), count: this.trailing(id, 2) };
  }

  /** C spelling of a type: `struct file *`, `const char *`, `char[16]`, `int (*)(struct sock *, int)`. */
  typeName(id: number): string {
    return this.spell(id, "", 0);
  }

  /** `declarator` is what stands to the right of the base type (`*`, `(*)`, `[4]`), built inside-out. */
  private spell(id: number, declarator: string, depth: number): string {
    if (depth > 32) return "…";
    const join = (base: string) => (declarator === "" ? base : declarator.startsWith("[") ? base + declarator : `${base} ${declarator}`);
    const k = this.kind(id);
    switch (k) {
      case Kind.Unknown:
        return join("void");
      case Kind.Int:
      case Kind.Float:
      case Kind.Typedef:
        return join(this.name(id));
      case Kind.Struct:
      case Kind.Union:
      case Kind.Enum:
      case Kind.Enum64: {
        const word = k === Kind.Union ? "union" : k === Kind.Struct ? "struct" : "enum";
        const n = this.name(id);
        return join(n === "" ? `${word} (anonymous)` : `${word} ${n}`);
      }
      case Kind.Fwd:
        return join(`${this.kindFlag(id) ? "union" : "struct"} ${this.name(id)}`);
      case Kind.Ptr: {
        const target = this.sizeOrType(id);
        const tk = this.kind(target);
        const inner = declarator === "" ? "*" : declarator.startsWith("*") ? `*${declarator}` : `*${declarator}`;
        if (tk === Kind.FuncProto || tk === Kind.Array) return this.spell(target, `(${inner})`, depth + 1);
        return this.spell(target, inner, depth + 1);
      }
      case Kind.Const:
      case Kind.Volatile:
      case Kind.Restrict: {
        const q = k === Kind.Const ? "const" : k === Kind.Volatile ? "volatile" : "restrict";
        const target = this.sizeOrType(id);
        const tk = this.kind(this.resolveTags(target));
        // `const` before a plain type reads best (`const char *`); after a pointer it qualifies the pointer.
        if (tk === Kind.Ptr) return this.spell(target, declarator === "" ? q : `${q} ${declarator}`, depth + 1);
        return `${q} ${this.spell(target, declarator, depth + 1)}`;
      }
      case Kind.TypeTag:
        return this.spell(this.sizeOrType(id), declarator, depth + 1);
      case Kind.Array: {
        const { elementType, count } = this.arrayInfo(id)!;
        const d = declarator.startsWith("(") || declarator === "" || declarator.startsWith("[") ? `${declarator}[${count}]` : `(${declarator})[${count}]`;
        return this.spell(elementType, d, depth + 1);
      }
      case Kind.FuncProto: {
        const sig = this.signature(id)!;
        const params = sig.params.map((p) => p.type);
        if (sig.variadic) params.push("...");
        const list = params.length === 0 ? "void" : params.join(", ");
        return `${sig.returnType} ${declarator}(${list})`.replace(/ \(\)/, "()");
      }
      case Kind.Func:
        return this.spell(this.sizeOrType(id), declarator, depth + 1);
      default:
        return join(this.name(id) || `(kind ${k})`);
    }
  }

  private resolveTags(id: number): number {
    while (id !== 0 && this.kind(id) === Kind.TypeTag) id = this.sizeOrType(id);
    return id;
  }
}
