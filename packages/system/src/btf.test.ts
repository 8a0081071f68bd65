import { accessSync, constants } from "node:fs";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Btf, BtfFormatError, Kind } from "./btf.ts";
import { BtfBuilder, smallKernelBtf } from "./btf-fixture.ts";

describe("big-endian BTF (an s390x kernel's byte order)", () => {
  it("reads the same types, names, signatures and members as the little-endian file", () => {
    const le = new Btf(smallKernelBtf(true));
    const be = new Btf(smallKernelBtf(false));
    expect(be.typeCount).toBe(le.typeCount);
    const describe = (b: Btf) =>
      Array.from({ length: b.typeCount }, (_, i) => {
        const id = i + 1;
        const k = b.kind(id);
        return [id, k, b.name(id), b.typeName(id), k === Kind.Func ? b.signature(id) : k === Kind.Struct || k === Kind.Union ? b.members(id, true) : k === Kind.Enum ? b.enumValues(id) : undefined];
      });
    expect(describe(be)).toEqual(describe(le));
    expect(be.signature(be.find("vfs_read", Kind.Func)!)?.params.map((p) => p.type)).toEqual(["struct file *", "char *", "size_t", "loff_t *"]);
  });
  it("refuses split BTF in the other byte order than its base", () => {
    const base = new Btf(smallKernelBtf(true));
    const mod = new BtfBuilder({ lastId: base.lastId, stringsEnd: base.stringsEnd });
    mod.func("ext4_file_open", mod.funcProto(1, [["inode", 1]]));
    expect(() => new Btf(mod.build(false), base)).toThrow("split BTF and its base are in different byte orders");
  });
});

describe("BTF reader on a hand-assembled fixture", () => {
  const btf = new Btf(smallKernelBtf());

  it("reads a function's prototype with parameter names and C types", () => {
    const id = btf.find("vfs_read", Kind.Func)!;
    expect(btf.signature(id)).toEqual({
      name: "vfs_read",
      returnType: "ssize_t",
      variadic: false,
      params: [
        { name: "file", typeId: expect.any(Number), type: "struct file *" },
        { name: "buf", typeId: expect.any(Number), type: "char *" },
        { name: "count", typeId: expect.any(Number), type: "size_t" },
        { name: "pos", typeId: expect.any(Number), type: "loff_t *" },
      ],
    });
  });

  it("marks a variadic prototype and keeps `const` before the pointee", () => {
    const sig = btf.signature(btf.find("_printk", Kind.Func)!)!;
    expect(sig.variadic).toBe(true);
    expect(sig.params.map((p) => p.type)).toEqual(["const char *"]);
  });

  it("lists struct members, lifting an anonymous union's, with bitfields and arrays", () => {
    const task = btf.find("task_struct", Kind.Struct)!;
    const members = btf.members(task, true);
    expect(members.map((m) => [m.name, m.type, m.bitOffset, m.bitSize])).toEqual([
      ["pid", "pid_t", 0, 0],
      ["tgid", "pid_t", 64, 0],
      ["flags_word", "int", 96, 0],
      ["comm", "char[16]", 128, 0],
      ["in_iowait", "int", 256, 1],
      ["read_op", "ssize_t (*)(struct file *, char *, size_t, loff_t *)", 320, 0],
      ["filename", "const char *", 384, 0],
    ]);
    expect(btf.members(task, false).map((m) => m.name)).toContain("");
  });

  it("spells pointers to structs, enums with negative values and forward declarations", () => {
    const ptrs = [...btf.idsOfKind(Kind.Ptr)].map((id) => btf.typeName(id));
    expect(ptrs).toContain("struct task_struct *");
    const e = btf.find("pid_type", Kind.Enum)!;
    expect(btf.enumValues(e)).toEqual([
      { name: "PIDTYPE_PID", value: 0n },
      { name: "PIDTYPE_MAX", value: 4n },
      { name: "NEGATIVE", value: -1n },
    ]);
    expect(btf.typeName(btf.find("sock", Kind.Fwd)!)).toBe("struct sock");
  });

  it("follows typedefs to what they name", () => {
    const pid = btf.find("pid_t", Kind.Typedef)!;
    expect(btf.kind(btf.resolve(pid))).toBe(Kind.Int);
    expect(btf.name(btf.resolve(pid))).toBe("int");
  });

  it("lists FUNC names", () => {
    expect(btf.functionNames().sort()).toEqual(["_printk", "vfs_read"]);
  });

  it("rejects data that is not BTF, with the reason", () => {
    expect(() => new Btf(new Uint8Array(8))).toThrow(BtfFormatError);
    const bad = smallKernelBtf();
    bad[0] = 0;
    expect(() => new Btf(bad)).toThrow(/bad magic/);
    const truncated = smallKernelBtf();
    new DataView(truncated.buffer).setUint32(12, truncated.length, true);
    expect(() => new Btf(truncated)).toThrow(/past the end/);
  });

  it("reads split BTF on top of a base: ids and strings continue the base's", () => {
    const module = new BtfBuilder({ lastId: btf.lastId, stringsEnd: btf.stringsEnd });
    const fileId = btf.find("file", Kind.Struct)!;
    const intId = btf.find("int", Kind.Int)!;
    const skb = module.struct("sk_buff", 8, [["len", intId, 0], ["owner", module.ptr(fileId), 64]]);
    module.func("ext4_file_read_iter", module.funcProto(intId, [["iocb", module.ptr(skb)]]));
    const split = new Btf(module.build(), btf);
    expect(split.firstId).toBe(btf.lastId + 1);
    const fn = split.find("ext4_file_read_iter", Kind.Func)!;
    expect(split.signature(fn)?.params).toEqual([{ name: "iocb", typeId: expect.any(Number), type: "struct sk_buff *" }]);
    expect(split.members(split.find("sk_buff", Kind.Struct)!).map((m) => `${m.type} ${m.name}`)).toEqual(["int len", "struct file * owner"]);
    expect(split.functionNames()).toEqual(["ext4_file_read_iter"]);
    expect(split.find("vfs_read", Kind.Func)).toBe(btf.find("vfs_read", Kind.Func));
  });

  it("finds every type of a name, the base's first, each file's in id order, and the first enumerator of a name", () => {
    const base = new BtfBuilder();
    const int = base.int("int", 4, true);
    const fwd = base.fwd("request");
    const typedef = base.typedef("request", int);
    base.enumeration("first", [["SHARED", 1], ["ONLY_FIRST", -2]]);
    const struct = base.struct("request", 8, [["n", int, 0]]);
    base.enumeration("second", [["SHARED", 7], ["ONLY_SECOND", 3]]);
    const baseBtf = new Btf(base.build());
    const module = new BtfBuilder({ lastId: baseBtf.lastId, stringsEnd: baseBtf.stringsEnd });
    const own = module.struct("request", 4, [["n", int, 0]]);
    module.enumeration("module_enum", [["SHARED", 9], ["ONLY_MODULE", 5]]);
    const split = new Btf(module.build(), baseBtf);
    expect(baseBtf.idsNamed("request")).toEqual([fwd, typedef, struct]);
    expect(split.idsNamed("request")).toEqual([fwd, typedef, struct, own]);
    expect(split.idsNamed("reques")).toEqual([]);
    expect(split.idsNamed("requests")).toEqual([]);
    expect(baseBtf.idsNamed("")).toEqual([]);
    expect([baseBtf.enumerator("SHARED"), baseBtf.enumerator("ONLY_FIRST"), baseBtf.enumerator("ONLY_SECOND"), baseBtf.enumerator("ONLY_MODULE")]).toEqual([1n, -2n, 3n, undefined]);
    expect([split.enumerator("SHARED"), split.enumerator("ONLY_MODULE"), split.enumerator("ONLY_FIRST")]).toEqual([9n, 5n, undefined]);
  });
});

const VMLINUX = "/sys/kernel/btf/vmlinux";
let readable = true;
try {
  accessSync(VMLINUX, constants.R_OK);
} catch {
  readable = false;
  console.warn(`SKIPPED real-kernel BTF tests: ${VMLINUX} is not readable (kernel without CONFIG_DEBUG_INFO_BTF?)`);
}

describe.skipIf(!readable)("BTF reader on this machine's /sys/kernel/btf/vmlinux", () => {
  const btf = readable ? new Btf(readFileSync(VMLINUX)) : undefined!;

  it("has tens of thousands of types and functions", () => {
    expect(btf.typeCount).toBeGreaterThan(10_000);
    expect(btf.functionNames().length).toBeGreaterThan(10_000);
  });

  it("vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)", () => {
    const sig = btf.signature(btf.find("vfs_read", Kind.Func)!)!;
    expect(sig.params.map((p) => p.name)).toEqual(["file", "buf", "count", "pos"]);
    expect(sig.params[0].type).toBe("struct file *");
    expect(sig.params[2].type).toBe("size_t");
  });

  it("struct task_struct has pid and comm", () => {
    const names = btf.members(btf.find("task_struct", Kind.Struct)!, true);
    expect(names.find((m) => m.name === "pid")?.type).toBe("pid_t");
    expect(names.find((m) => m.name === "comm")?.type).toBe("char[16]");
  });

  it("do_sys_openat2 takes a `const char *filename`", () => {
    const sig = btf.signature(btf.find("do_sys_openat2", Kind.Func)!)!;
    expect(sig.params.find((p) => p.name === "filename")?.type).toBe("const char *");
  });
});
