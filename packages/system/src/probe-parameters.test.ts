import { describe, expect, it } from "vitest";
import { machineFromFacts } from "./machine.ts";
import { probeParameters, type ProbeSite } from "./probe-parameters.ts";

const machine = machineFromFacts({
  tracepoints: {
    "syscalls:sys_enter_openat": [
      ["common_pid", "int"],
      ["dfd", "int"],
      ["filename", "const char *"],
    ],
  },
  rawTracepoints: { "vmlinux:sched_switch": [["preempt", "bool"], ["prev", "struct task_struct *"]] },
  kernelSignatures: {
    vfs_read: {
      returnType: "ssize_t",
      params: [
        ["file", "struct file *"],
        ["", "char *"],
      ],
    },
  },
  binaries: {
    "/usr/bin/book": {
      functions: ["_ZN11AddressBook10AddContactEv"],
      parameters: { "AddressBook::AddContact": [["this", "AddressBook *"], ["name", "const std::string &"]] },
      returnTypes: { "AddressBook::AddContact": "bool" },
    },
  },
  aliases: { book: "/usr/bin/book" },
});

const site = (providerCanonical: string, parts: { category?: string; func?: string; module?: string; target?: string }): ProbeSite => ({
  providerCanonical,
  ...Object.fromEntries(Object.entries(parts).map(([k, value]) => [k, { value }])),
});

describe("probeParameters", () => {
  it("gives tracepoint fields with tracefs's size and sign, common_* fields included", () => {
    expect(probeParameters(machine, site("tracepoint", { category: "syscalls", func: "sys_enter_openat" }))).toEqual({
      params: [
        { name: "common_pid", type: "int", size: 8, signed: false },
        { name: "dfd", type: "int", size: 8, signed: false },
        { name: "filename", type: "const char *", size: 8, signed: false },
      ],
    });
  });

  it("gives a kernel function's parameters, unnamed ones included, and its return type for fentry and fexit alike", () => {
    const expected = { params: [{ name: "file", type: "struct file *" }, { name: "", type: "char *" }], returnType: "ssize_t" };
    expect(probeParameters(machine, site("fexit", { func: "vfs_read" }))).toEqual(expected);
    expect(probeParameters(machine, site("fentry", { func: "vfs_read" }))).toEqual(expected);
  });

  it("gives a raw tracepoint's arguments, of its module when one is named, none for a wildcarded module", () => {
    const expected = { params: [{ name: "preempt", type: "bool" }, { name: "prev", type: "struct task_struct *" }] };
    expect(probeParameters(machine, site("rawtracepoint", { func: "sched_switch" }))).toEqual(expected);
    expect(probeParameters(machine, site("rawtracepoint", { module: "vmlinux", func: "sched_switch" }))).toEqual(expected);
    expect(probeParameters(machine, site("rawtracepoint", { module: "vm*", func: "sched_switch" }))).toBeUndefined();
  });

  it("gives a uprobe's DWARF parameters with the artificial flag and the return type, through the target's resolution", () => {
    expect(probeParameters(machine, site("uretprobe", { target: "book", func: "AddressBook::AddContact" }))).toEqual({
      params: [
        { name: "this", type: "AddressBook *", artificial: true },
        { name: "name", type: "const std::string &", artificial: false },
      ],
      returnType: "bool",
    });
  });

  it("is undefined when the machine does not know the probe or the provider has no parameters", () => {
    expect(probeParameters(machine, site("tracepoint", { category: "syscalls", func: "sys_enter_nope" }))).toBeUndefined();
    expect(probeParameters(machine, site("tracepoint", { func: "sys_enter_openat" }))).toBeUndefined();
    expect(probeParameters(machine, site("fexit", { func: "vfs_nope" }))).toBeUndefined();
    expect(probeParameters(machine, site("fexit", {}))).toBeUndefined();
    expect(probeParameters(machine, site("uprobe", { func: "AddressBook::AddContact" }))).toBeUndefined();
    expect(probeParameters(machine, site("uprobe", { target: "/usr/bin/missing", func: "AddressBook::AddContact" }))).toBeUndefined();
    expect(probeParameters(machine, site("uprobe", { target: "book", func: "main" }))).toBeUndefined();
    expect(probeParameters(machine, site("kprobe", { func: "vfs_read" }))).toBeUndefined();
  });
});
