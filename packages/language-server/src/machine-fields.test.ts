import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMachine, machineFromFacts } from "@bt/system";
import type { CompletionItem, CompletionList, Hover, MarkupContent } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chainBefore, fieldsAfterChain } from "./machine-fields.ts";
import { markers, startClient, type TestClient } from "./testing/harness.ts";

const FACTS = {
  kernelFunctions: ["vfs_read", "tcp_sendmsg"],
  kernelSignatures: { vfs_read: { returnType: "ssize_t", params: [["file", "struct file *"], ["count", "size_t"]] as [string, string][] } },
  structs: {
    task_struct: [["pid", "pid_t"], ["mm", "struct mm_struct *"], ["comm", "char[16]"]] as [string, string][],
    mm_struct: [["total_vm", "unsigned long"], ["map_count", "int"]] as [string, string][],
    file: [["f_flags", "unsigned int"], ["f_path", "struct path"]] as [string, string][],
    path: [["dentry", "struct dentry *"], ["mnt", "struct vfsmount *"]] as [string, string][],
    sock: [["sk_family", "unsigned short"]] as [string, string][],
  },
};
const machine = machineFromFacts(FACTS);

describe("chainBefore", () => {
  it.each([
    ["curtask->mm->", ["curtask", "mm"]],
    ["args.file->f_path.", ["args", "file", "f_path"]],
    ["$t->", ["$t"]],
    ["$t -> mm ->", ["$t", "mm"]],
    ["((struct file *)arg0)->", ["(struct file *)"]],
    ["((struct file*) arg1)->f_path.", ["(struct file *)", "f_path"]],
    ["@x = ((union bpf_attr *)arg0)->", ["(union bpf_attr *)"]],
  ])("%s → %j", (text, chain) => {
    expect(chainBefore(text, text.length)).toEqual(chain);
  });
  it("has no chain after a call or a cast to a type that is not a struct", () => {
    expect(chainBefore("f(x)->", 6)).toBeUndefined();
    expect(chainBefore("((int64 *)arg0)->", 17)).toBeUndefined();
    expect(chainBefore("f(x)->a.", 8)).toBeUndefined();
  });
});

describe("fieldsAfterChain", () => {
  it("starts from a cast's struct or a variable's type", () => {
    expect(fieldsAfterChain(machine, ["(struct file *)", "f_path"], undefined)?.map((f) => f.name)).toEqual(["dentry", "mnt"]);
    const variables = (name: string) => (name === "$t" ? "struct task_struct *" : undefined);
    expect(fieldsAfterChain(machine, ["$t", "mm"], undefined, variables)?.map((f) => f.name)).toEqual(["total_vm", "map_count"]);
    expect(fieldsAfterChain(machine, ["$u"], undefined, variables)).toBeUndefined();
  });
});

describe("field completion after a variable or a cast, in the server", () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await startClient({ machine: () => machineFromFacts(FACTS) });
  });
  afterAll(() => client.shutdown());
  let n = 0;
  async function complete(marked: string): Promise<CompletionItem[]> {
    const { text, positions } = markers(marked);
    const uri = client.open(`fields-${n++}.bt`, text);
    const result = await client.request<CompletionItem[] | CompletionList | null>("textDocument/completion", { textDocument: { uri }, position: positions[0] });
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  it("completes a variable's struct fields from the type the checker inferred", async () => {
    const items = await complete("kprobe:vfs_read { $t = curtask; @ = $t-><|> }");
    expect(items.map((i) => [i.label, i.detail])).toEqual([
      ["pid", "pid_t"],
      ["mm", "struct mm_struct *"],
      ["comm", "char[16]"],
    ]);
    expect((await complete("kprobe:vfs_read { $t = curtask; @ = $t->mm-><|> }")).map((i) => i.label)).toEqual(["total_vm", "map_count"]);
    expect((await complete("fentry:vfs_read { $f = args.file; @ = $f->f_path.<|> }")).map((i) => i.label)).toEqual(["dentry", "mnt"]);
  });
  it("completes the fields of a cast's struct", async () => {
    expect((await complete("kprobe:tcp_sendmsg { @ = ((struct sock *)arg0)-><|> }")).map((i) => i.label)).toEqual(["sk_family"]);
    expect((await complete("kprobe:vfs_read { @ = ((struct file *)arg0)->f_path.<|> }")).map((i) => i.label)).toEqual(["dentry", "mnt"]);
  });
  it("offers no machine fields for a variable whose type is not a kernel struct", async () => {
    const items = await complete("kprobe:vfs_read { $x = 1; @ = $x-><|> }");
    expect(items.filter((i) => i.kind === 5).map((i) => i.label)).toEqual([]);
  });
});

describe("hover on retval of a uretprobe", () => {
  const withBinary = machineFromFacts({
    binaries: {
      "/opt/app/adder": { functions: ["add_numbers", "name_of"], parameters: { add_numbers: [["a", "int"]], name_of: [["a", "int"]] }, returnTypes: { add_numbers: "int", name_of: "const char *" } },
    },
  });
  let client: TestClient;
  beforeAll(async () => {
    client = await startClient({ machine: () => withBinary });
  });
  afterAll(() => client.shutdown());
  let n = 0;
  async function hover(marked: string): Promise<string> {
    const { text, positions } = markers(marked);
    const uri = client.open(`retval-${n++}.bt`, text);
    const result = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: positions[0] });
    return (result?.contents as MarkupContent | undefined)?.value ?? "";
  }
  it("gives the function's DWARF return type beside bpftrace's uint64", async () => {
    const text = await hover("uretprobe:/opt/app/adder:add_numbers { @ = ret<|>val; }");
    expect(text.split("\n\n").at(-1)).toBe("`add_numbers` returns `int` (DWARF); bpftrace reads `retval` as `uint64` whatever the function returns, so cast it to read it as `int`.");
  });
  it("says nothing more when the attach points return different types or the function has no DWARF", async () => {
    expect(await hover("uretprobe:/opt/app/adder:add_numbers, uretprobe:/opt/app/adder:name_of { @ = ret<|>val; }")).not.toContain("DWARF");
    expect(await hover("uretprobe:/opt/app/adder:main { @ = ret<|>val; }")).not.toContain("DWARF");
  });
});

/** A C program with DWARF (gcc -g), for the real machine's retval hover. */
function buildAdder(): string | undefined {
  try {
    const dir = mkdtempSync(join(tmpdir(), "bt-ls-retval-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const src = join(dir, "adder.c");
    writeFileSync(src, '__attribute__((noinline)) const char *name_of(int a) { return a ? "x" : "y"; }\nint main(int argc, char **argv) { return name_of(argc)[0]; }\n');
    execFileSync("gcc", ["-O0", "-g", "-o", join(dir, "adder"), src], { stdio: "pipe" });
    execFileSync("readelf", ["--version"], { stdio: "pipe" });
    return join(dir, "adder");
  } catch (err) {
    console.warn(`SKIPPED real retval hover: gcc -g or readelf unavailable (${String(err).split("\n")[0]})`);
    return undefined;
  }
}
const adder = buildAdder();

describe.skipIf(!adder)("hover on retval with this machine's DWARF", () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await startClient({ machine: () => createMachine() });
  });
  afterAll(() => client.shutdown());
  it("reads the return type of a program built here", async () => {
    const { text, positions } = markers(`uretprobe:${adder}:name_of { @ = ret<|>val; }`);
    const uri = client.open("real-retval.bt", text);
    const result = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: positions[0] });
    expect(((result?.contents as MarkupContent).value ?? "").split("\n\n").at(-1)).toBe(
      "`name_of` returns `const char *` (DWARF); bpftrace reads `retval` as `uint64` whatever the function returns, so cast it to read it as `const char *`.",
    );
  });
});

describe("raw tracepoints: args. completion and hover", () => {
  const raw = machineFromFacts({
    kernelFunctions: ["vfs_read"],
    rawTracepoints: { "vmlinux:sched_switch": [["preempt", "bool"], ["prev", "struct task_struct *"]] },
    structs: FACTS.structs,
  });
  let client: TestClient;
  beforeAll(async () => {
    client = await startClient({ machine: () => raw });
  });
  afterAll(() => client.shutdown());
  let n = 0;
  const open = (marked: string) => {
    const { text, positions } = markers(marked);
    return { uri: client.open(`raw-${n++}.bt`, text), position: positions[0] };
  };
  it("completes args. and the fields of a struct argument", async () => {
    const at = open("rawtracepoint:sched_switch { @ = args.<|> }");
    const list = await client.request<CompletionItem[] | CompletionList | null>("textDocument/completion", { textDocument: { uri: at.uri }, position: at.position });
    const items = Array.isArray(list) ? list : (list?.items ?? []);
    expect(items.map((i) => [i.label, i.detail])).toEqual([
      ["preempt", "bool"],
      ["prev", "struct task_struct *"],
    ]);
    const deeper = open("rawtracepoint:vmlinux:sched_switch { @ = args.prev-><|> }");
    const fields = await client.request<CompletionList>("textDocument/completion", { textDocument: { uri: deeper.uri }, position: deeper.position });
    expect(fields.items.map((i) => i.label)).toEqual(["pid", "mm", "comm"]);
  });
  it("hovers the attach point with its args", async () => {
    const at = open("rawtracepoint:sched_sw<|>itch { }");
    const result = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri: at.uri }, position: at.position });
    expect((result?.contents as MarkupContent).value.split("\n").slice(0, 3)).toEqual(["```c", "rawtracepoint sched_switch(bool preempt, struct task_struct *prev)", "```"]);
  });
});
