import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMachine, machineFromFacts, type Machine } from "@bt/system";
import type { CompletionItem, CompletionList, Hover, MarkupContent } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markers, startClient, type TestClient } from "../testing/harness.ts";
import { defaultOptions } from "../defaults.ts";
import { LIMIT } from "../attach-point-completion.ts";

/** A machine described as data: the tests never depend on the host's kernel or binaries. */
const FACTS = {
  kernelFunctions: ["vfs_read", "vfs_readv", "vfs_write", "do_sys_open", ...Array.from({ length: 500 }, (_, i) => `zz_fn_${i}`)],
  kernelSignatures: {
    vfs_read: { returnType: "ssize_t", params: [["file", "struct file *"], ["buf", "char *"], ["count", "size_t"], ["pos", "loff_t *"]] as [string, string][] },
  },
  tracepoints: {
    "syscalls:sys_enter_openat": [["common_pid", "int"], ["dfd", "int"], ["filename", "const char *"], ["flags", "int"]] as [string, string][],
    "syscalls:sys_enter_read": [["fd", "unsigned int"]] as [string, string][],
    "sched:sched_switch": [["prev_comm", "char[16]"]] as [string, string][],
  },
  structs: {
    task_struct: [["pid", "pid_t"], ["tgid", "pid_t"], ["mm", "struct mm_struct *"], ["comm", "char[16]"]] as [string, string][],
    mm_struct: [["total_vm", "unsigned long"]] as [string, string][],
    file: [["f_flags", "unsigned int"]] as [string, string][],
  },
  binaries: {
    "/usr/bin/bash": { functions: ["readline", "readline_internal", "main"] },
    "/opt/app/addressbook": { functions: ["_ZN11AddressBook10AddContactEv"], cpp: ["AddressBook::AddContact"], usdt: ["app:contact_added", "app:start"] },
    "/lib/libc.so.6": { functions: ["malloc", "malloc_trim", "free"] },
  },
  aliases: { libc: "/lib/libc.so.6" },
};

let client: TestClient;
beforeAll(async () => {
  client = await startClient({ machine: () => machineFromFacts(FACTS) });
});
afterAll(() => client.shutdown());

let n = 0;
async function complete(marked: string, name = `m-${n++}.bt`, c = client): Promise<CompletionItem[]> {
  const { text, positions } = markers(marked);
  const uri = c.open(name, text);
  const result = await c.request<CompletionItem[] | CompletionList | null>("textDocument/completion", { textDocument: { uri }, position: positions[0] });
  return Array.isArray(result) ? result : (result?.items ?? []);
}
async function hover(marked: string): Promise<string> {
  const { text, positions } = markers(marked);
  const uri = client.open(`h-${n++}.bt`, text);
  const result = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: positions[0] });
  return (result?.contents as MarkupContent | undefined)?.value ?? "";
}
const labels = (items: CompletionItem[]) => items.map((i) => i.label);

describe("completion from the machine", () => {
  it("kernel functions after kprobe:, kretprobe: and fentry:, with their signature", async () => {
    const items = await complete("kprobe:vfs_r<|> { }");
    expect(labels(items)).toEqual(["vfs_read", "vfs_readv"]);
    expect(items[0].detail).toBe("ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)");
    expect(items[0].textEdit).toEqual({ range: { start: { line: 0, character: 7 }, end: { line: 0, character: 12 } }, newText: "vfs_read" });
    expect(labels(await complete("kr:vfs_w<|>"))).toEqual(["vfs_write"]);
    expect(labels(await complete("BEGIN { }\nfentry:do_<|>"))).toEqual(["do_sys_open"]);
  });

  it("cuts long lists and says they are incomplete", async () => {
    const { text, positions } = markers("kprobe:<|>");
    const uri = client.open(`long-${n++}.bt`, text);
    const list = await client.request<CompletionList>("textDocument/completion", { textDocument: { uri }, position: positions[0] });
    expect(list.isIncomplete).toBe(true);
    expect(list.items).toHaveLength(LIMIT);
  });

  it("tracepoint categories, then the events of one", async () => {
    expect(labels(await complete("tracepoint:<|>"))).toEqual(["sched", "syscalls"]);
    expect(labels(await complete("t:sy<|>"))).toEqual(["syscalls"]);
    const events = await complete("tracepoint:syscalls:sys_enter_<|> { }");
    expect(labels(events)).toEqual(["sys_enter_openat", "sys_enter_read"]);
    expect(events[0].textEdit).toMatchObject({ range: { start: { character: 20 } } });
  });

  it("a binary's functions, demangled after cpp:, a library by its bpftrace name, USDT probes", async () => {
    expect(labels(await complete("uprobe:/usr/bin/bash:read<|>"))).toEqual(["readline", "readline_internal"]);
    expect(labels(await complete("uretprobe:libc:mal<|>"))).toEqual(["malloc", "malloc_trim"]);
    expect(labels(await complete("uprobe:/opt/app/addressbook:c<|>"))).toEqual(["cpp"]);
    const cpp = await complete("uprobe:/opt/app/addressbook:cpp:AddressBook::<|>");
    expect(labels(cpp)).toEqual(["AddressBook::AddContact"]);
    expect(cpp[0].textEdit).toMatchObject({ range: { start: { character: 32 } } });
    expect(labels(await complete("usdt:/opt/app/addressbook:<|>"))).toEqual(["app", "contact_added", "start"]);
    expect(labels(await complete("usdt:/opt/app/addressbook:app:c<|>"))).toEqual(["contact_added"]);
  });

  it("files after uprobe:", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bt-lsp-paths-"));
    mkdirSync(join(dir, "lib"));
    writeFileSync(join(dir, "app"), "");
    const items = await complete(`uprobe:${dir}/<|>`);
    expect(labels(items)).toEqual(["app", "lib/"]);
    expect(items[0].textEdit).toMatchObject({ range: { start: { character: `uprobe:${dir}/`.length } } });
  });

  it("fields after ->, . and args.", async () => {
    expect(labels(await complete("kprobe:vfs_read { curtask-><|> }"))).toEqual(["pid", "tgid", "mm", "comm"]);
    const mm = await complete("kprobe:vfs_read { curtask->mm-><|> }");
    expect(mm.map((i) => [i.label, i.detail])).toEqual([["total_vm", "unsigned long"]]);
    expect(labels(await complete("tracepoint:syscalls:sys_enter_openat { args.<|> }"))).toEqual(["dfd", "filename", "flags"]);
    expect(labels(await complete("tracepoint:syscalls:sys_enter_openat { printf(\"%s\", str(args.fi<|>)) }"))).toEqual(["dfd", "filename", "flags"]);
    expect(labels(await complete("fentry:vfs_read { args.<|> }"))).toEqual(["file", "buf", "count", "pos"]);
    expect(labels(await complete("fexit:vfs_read { args.file-><|> }"))).toEqual(["f_flags"]);
  });

  it("is off for untitled documents and with bt.machine false, and the language completes as before", async () => {
    expect(await complete("kprobe:vfs_r<|>", "untitled:Untitled-1")).toEqual([]);
    const off = await startClient({ settings: { target: "0.27", machine: false }, machine: () => machineFromFacts(FACTS) });
    expect(await complete("kprobe:vfs_r<|>", "off.bt", off)).toEqual([]);
    expect(labels(await complete("BEGIN { pr<|> }", "off2.bt", off))).toContain("printf");
    await off.shutdown();
  });

  it("creates the machine on the first question, not at initialize, and only once", async () => {
    let made = 0;
    const lazy = await startClient({ machine: () => (made++, machineFromFacts(FACTS)) });
    lazy.open("lazy.bt", "kprobe:vfs_read { }");
    expect(made).toBe(0);
    expect(labels(await complete("kprobe:vfs_w<|>", "lazy2.bt", lazy))).toEqual(["vfs_write"]);
    expect(labels(await complete("kprobe:do_<|>", "lazy3.bt", lazy))).toEqual(["do_sys_open"]);
    expect(made).toBe(1);
    await lazy.shutdown();
  });
});

describe("hover from the machine and the type checker", () => {
  it("a kernel function's signature on its attach point", async () => {
    expect(await hover("kprobe:vfs_r<|>ead { }")).toContain("ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)");
  });

  it("a field's type", async () => {
    expect(await hover("kprobe:vfs_read { print(curtask->m<|>m) }")).toContain("// C: struct mm_struct *");
    const field = await hover("tracepoint:syscalls:sys_enter_openat { print(str(args.file<|>name)) }");
    expect(field).toContain("// C: const char *");
  });

  it("inferred types of variables and maps", async () => {
    expect(await hover("BEGIN { $x<|> = 1; @m[1, \"a\"] = count(); }")).toMatch(/\$x : int\d+/);
    expect(await hover("BEGIN { @m<|>[(int32)1, \"a\"] = count(); }")).toContain("@m[int32, string");
    expect(await hover("BEGIN { @m<|>[(int32)1, \"a\"] = count(); }")).toContain("] : count");
    expect(await hover("kprobe:f { $t<|> = nsecs; }")).toContain("$t : uint64");
    expect(await hover("kprobe:f { $t<|> = args.nothing; }")).not.toContain("$t :");
  });
});

describe("machine checks in diagnostics", () => {
  it("the linter's machine rules run on local files, and the machine's problems are logged once", async () => {
    const { lint } = defaultOptions();
    const partial = (): Machine => ({ ...machineFromFacts(FACTS), problems: () => ["tracepoints: partial list; absent names are not reported"] });
    const c = await startClient({ lint, machine: partial });
    const uri = c.open("check.bt", "kprobe:vfs_reed { }\n");
    const { diagnostics } = await c.diagnostics(uri, 1);
    expect(diagnostics.map((d) => d.code)).toContain("machine-attach-point");
    const v2 = c.change(uri, "kprobe:vfs_reed { print(1); }\n");
    await c.diagnostics(uri, v2);
    expect(c.logs.filter((l) => l.includes("partial list"))).toHaveLength(1);
    const untitled = c.open("untitled:Untitled-2", "kprobe:vfs_reed { }\n");
    expect((await c.diagnostics(untitled)).diagnostics.map((d) => d.code)).not.toContain("machine-attach-point");
    await c.shutdown();
  });
});

describe("this machine (skipped without kernel BTF)", () => {
  const btf = existsSync("/sys/kernel/btf/vmlinux");
  if (!btf) console.warn("machine.test: /sys/kernel/btf/vmlinux is missing; the test on this machine's kernel functions is skipped");
  it.skipIf(!btf)("completes kprobe: from this kernel's functions, with BTF signatures", async () => {
    const host = await startClient({ machine: () => createMachine() });
    try {
      const items = await complete("kprobe:vfs_rea<|>", "host.bt", host);
      const read = items.find((i) => i.label === "vfs_read");
      expect(read?.detail).toMatch(/^ssize_t vfs_read\(struct file \*/);
      expect(await complete("kprobe:vfs_rea<|>", "untitled:host", host)).toEqual([]);
    } finally {
      await host.shutdown();
    }
  });
});
