/**
 * The one object other packages use: what this machine offers a bpftrace program. The linter's
 * machine checks, the language server's completion and hover, bt-run's pre-check and a type
 * checker all ask through `Machine`, so tests can hand them `machineFromFacts(...)` instead.
 */
import type { TracepointField } from "./tracefs.ts";
import { DEFAULT_KERNEL_PATHS, Kernel, type KernelFunctionSignature, type KernelParameter, type KernelPaths, type KernelType, type StructField } from "./kernel.ts";
import { resolveTarget, type ResolvedTarget, type ResolveOptions } from "./libraries.ts";
import { NameIndex } from "./names.ts";
import type { DwarfFunction } from "./dwarf.ts";
import type { UsdtProbe } from "./usdt.ts";
import { mappedFiles } from "./process.ts";
import { missingTools } from "./tool.ts";
import { Userspace, type BinarySymbols, type Outcome } from "./userspace.ts";

export interface NameList {
  /** Where the names came from (`tracefs`, `btf+kallsyms`, …). */
  source: string;
  /** What was read and what could not be. */
  note: string;
  /** True when absence from `names` does not mean absence on the machine. */
  partial: boolean;
  names: NameIndex;
}

export interface Machine {
  /**
   * Functions kprobe/kretprobe can attach to; with `module`, those of one module (`vmlinux`: the
   * kernel itself), what `kprobe:MODULE:func` matches (empty for a module that is not here).
   */
  kernelFunctions(module?: string): NameList;
  /** Kernel modules with functions here, `vmlinux` included: what `kprobe:MODULE:` may name. */
  kernelModules(): NameList;
  /** Raw tracepoint events (`sched_switch`), of one module (`vmlinux`, a module with BTF) when given. */
  rawTracepoints(module?: string): NameList;
  /** `args` of a raw tracepoint (its BTF stub's parameters after `__data`); undefined when unknown. */
  rawTracepointArgs(event: string, module?: string): KernelParameter[] | undefined;
  /** Functions with BTF: what fentry/fexit can attach to; with `module`, those of one module's BTF (`fentry:MODULE:func`). */
  btfFunctions(module?: string): NameList;
  /** A kernel function's signature from BTF (hover, `args.NAME` of fentry). */
  kernelFunction(name: string): KernelFunctionSignature | undefined;
  /** Tracepoints as `category:event`. */
  tracepoints(): NameList;
  /** Fields of a tracepoint (`args.NAME`); undefined when unknown. */
  tracepointFields(category: string, event: string): TracepointField[] | undefined;
  /** Fields of a kernel struct or union (`struct task_struct`, `task_struct`); undefined when unknown. */
  structFields(name: string): StructField[] | undefined;
  /** A kernel struct, union, enum or typedef with its kind (a type source for type checking). */
  kernelType(name: string): KernelType | undefined;
  /** Whether kernel types can be looked up at all (BTF present). */
  hasKernelTypes(): boolean;
  /**
   * A kernel enum's enumerator by name (`BPF_MAP_TYPE_HASH` → 1n); undefined when no kernel enum
   * has it. Present only on machines that know the kernel's types whole (all of BTF), so that a type
   * or enumerator they do not find does not exist.
   */
  kernelEnumValue?(name: string): bigint | undefined;
  /** A uprobe/usdt target (`/bin/bash`, `libc`, `bash`, `/proc/PID/exe`) → one ELF file. */
  resolveBinary(target: string): ResolvedTarget;
  binarySymbols(path: string): Outcome<{ value: BinarySymbols }>;
  usdtProbes(path: string): Outcome<{ probes: UsdtProbe[] }>;
  /** ELF files mapped into a running process (`-p PID`: where bpftrace looks for `usdt:PROBE`). */
  processFiles(pid: number): Outcome<{ paths: string[] }>;
  functionParameters(path: string, symbol: string): Outcome<{ function: DwarfFunction }>;
  /**
   * What could not be checked among the questions asked so far, one message each: a list that is
   * partial or empty, a tool that is not installed. Tools print these once per run.
   */
  problems(): string[];
}

export interface MachineOptions {
  kernel?: KernelPaths;
  resolve?: ResolveOptions;
}

/** This machine, read lazily: nothing is read until a question needs it, and each source once per file identity. */
export function createMachine(options: MachineOptions = {}): Machine {
  const kernel = new Kernel(options.kernel ?? DEFAULT_KERNEL_PATHS);
  const user = new Userspace();
  let btfList: NameList | undefined;
  let rawByModule: Map<string, NameIndex> | undefined;
  let btfByModule: Map<string, NameIndex> | undefined;
  /** Partial lists handed out so far, by what they list. */
  const partialLists = new Map<string, string>();
  const remember = (what: string, list: NameList): NameList => {
    if (list.partial) partialLists.set(what, `${what}: ${list.note}; absent names are not reported`);
    return list;
  };
  return {
    kernelFunctions(module) {
      const f = kernel.functions();
      const partial = f.source === "none";
      if (module === undefined) return remember("kernel functions", { source: f.source, note: f.note, partial, names: f.names });
      const names = f.inModule(module);
      return remember("kernel functions", { source: f.source, note: names ? f.note : `no module \`${module}\` ${f.note}`, partial, names: names ?? EMPTY_NAMES });
    },
    kernelModules() {
      const f = kernel.functions();
      return remember("kernel modules", { source: f.source, note: f.note, partial: f.source === "none", names: f.modules });
    },
    rawTracepoints(module) {
      const r = kernel.rawTracepoints();
      let names = r.events;
      if (module !== undefined) {
        rawByModule ??= new Map();
        names = rawByModule.get(module) ?? new NameIndex(r.names.withPrefix(`${module}:`).map((n) => n.slice(module.length + 1)));
        rawByModule.set(module, names);
      }
      return remember("raw tracepoints", { source: r.source, note: r.note, partial: r.source === "none", names });
    },
    rawTracepointArgs: (event, module) => kernel.rawTracepointArgs(event, module),
    btfFunctions(module) {
      if (!kernel.btf()) return remember("functions with BTF", { source: "none", note: kernel.btfProblem() ?? "no BTF", partial: true, names: EMPTY_NAMES });
      if (module === undefined) {
        btfList ??= { source: "btf", note: `from ${kernel.paths.btfDir}`, partial: false, names: kernel.btfFunctions() };
        return remember("functions with BTF", btfList);
      }
      btfByModule ??= new Map();
      let names = btfByModule.get(module);
      if (!names) btfByModule.set(module, (names = kernel.btfFunctions(module)));
      return { source: "btf", note: `from ${kernel.paths.btfDir}`, partial: false, names };
    },
    kernelFunction: (name) => kernel.functionSignature(name),
    tracepoints() {
      const t = kernel.tracepoints();
      return remember("tracepoints", { source: t.source, note: t.note, partial: t.partial, names: t.events });
    },
    tracepointFields: (c, e) => kernel.tracepointFields(c, e),
    structFields: (name) => kernel.structFields(name),
    kernelType: (name) => kernel.type(name),
    hasKernelTypes: () => kernel.btf() !== undefined,
    kernelEnumValue: (name) => kernel.enumValue(name),
    resolveBinary: (target) => resolveTarget(target, options.resolve),
    binarySymbols: (path) => user.binarySymbols(path),
    usdtProbes: (path) => user.usdtProbes(path),
    processFiles: (pid) => mappedFiles(pid),
    functionParameters: (path, symbol) => user.functionParameters(path, symbol),
    problems: () => [...partialLists.values(), ...missingTools()],
  };
}

const EMPTY_NAMES = new NameIndex([]);

/** Facts for `machineFromFacts`: a machine described as data (tests, fixtures, recorded machines). */
export interface MachineFacts {
  /** Functions of the kernel itself (module `vmlinux`). */
  kernelFunctions?: string[];
  /** Module → its functions (`kprobe:MODULE:func`). */
  modules?: Record<string, string[]>;
  /** `module:event` (`vmlinux:sched_switch`) → arguments after `__data`. */
  rawTracepoints?: Record<string, [name: string, type: string][]>;
  /** Defaults to `kernelFunctions`. */
  btfFunctions?: string[];
  kernelSignatures?: Record<string, { returnType: string; params: [name: string, type: string][] }>;
  /** `category:event` → field names and types. */
  tracepoints?: Record<string, [name: string, type: string][]>;
  structs?: Record<string, [name: string, type: string][]>;
  /** Typedef → what it names (`refcount_t` → `struct refcount_struct`, `bool` → `_Bool`). */
  typedefs?: Record<string, string>;
  /**
   * Enumerator → value (`BPF_MAP_TYPE_HASH` → 1). When given, the facts are the kernel's types
   * whole: a struct, union, typedef or enumerator they lack does not exist.
   */
  enumValues?: Record<string, number>;
  /** Path → functions (stored names) and optional USDT probes and DWARF parameters. */
  binaries?: Record<string, { functions: string[]; cpp?: string[]; usdt?: string[]; parameters?: Record<string, [name: string, type: string][]>; returnTypes?: Record<string, string> }>;
  /** PID → paths in `binaries` mapped into that process. */
  processes?: Record<number, string[]>;
  /** Bare target (`libc`, `bash`) → path in `binaries`. */
  aliases?: Record<string, string>;
}

export function machineFromFacts(facts: MachineFacts): Machine {
  const list = (names: string[] | undefined, source: string): NameList => ({ source, note: "from facts", partial: names === undefined, names: new NameIndex(names ?? []) });
  const kfuncs = list(facts.kernelFunctions && [...facts.kernelFunctions, ...Object.values(facts.modules ?? {}).flat()], "facts");
  const moduleFunctions = (module: string) => (module === "vmlinux" ? facts.kernelFunctions : facts.modules?.[module]);
  const modules = list(facts.kernelFunctions && ["vmlinux", ...Object.keys(facts.modules ?? {})], "facts");
  const rawNames = facts.rawTracepoints && Object.keys(facts.rawTracepoints);
  const rawEvents = (module?: string) => rawNames?.filter((n) => module === undefined || n.startsWith(`${module}:`)).map((n) => n.slice(n.indexOf(":") + 1));
  const btf = facts.btfFunctions ? list(facts.btfFunctions, "facts") : kfuncs;
  const tps = list(facts.tracepoints ? Object.keys(facts.tracepoints) : undefined, "facts");
  const field = ([name, type]: [string, string], i: number) => ({ name, type, offset: i * 8 });
  return {
    kernelFunctions: (module) => (module === undefined ? kfuncs : { ...list(moduleFunctions(module) ?? [], "facts"), partial: facts.kernelFunctions === undefined }),
    kernelModules: () => modules,
    rawTracepoints: (module) => list(rawEvents(module), "facts"),
    rawTracepointArgs(event, module) {
      const key = Object.keys(facts.rawTracepoints ?? {}).find((n) => n === `${module}:${event}` || (module === undefined && n.endsWith(`:${event}`)));
      return key ? facts.rawTracepoints![key].map(([name, type]) => ({ name, type })) : undefined;
    },
    btfFunctions(module) {
      if (module === undefined) return btf;
      const names = module === "vmlinux" ? (facts.btfFunctions ?? facts.kernelFunctions) : facts.modules?.[module];
      return { ...list(names ?? [], "facts"), partial: btf.partial };
    },
    kernelFunction(name) {
      const s = facts.kernelSignatures?.[name];
      return s && { name, returnType: s.returnType, params: s.params.map(([n, t]) => ({ name: n, type: t })), variadic: false };
    },
    tracepoints: () => tps,
    tracepointFields(category, event) {
      const f = facts.tracepoints?.[`${category}:${event}`];
      return f?.map(([name, type], i) => ({ name, type, offset: i * 8, size: 8, signed: false, common: name.startsWith("common_") }));
    },
    structFields(name) {
      const f = facts.structs?.[name.replace(/^(struct|union)\s+/, "")];
      return f?.map(field);
    },
    kernelType(name) {
      const bare = name.replace(/^(struct|union)\s+/, "");
      const target = bare === name ? facts.typedefs?.[name] : undefined;
      if (target !== undefined) return { kind: "typedef", name, target, fields: facts.structs?.[target.replace(/^(struct|union)\s+/, "")]?.map(field) ?? [] };
      const f = facts.structs?.[bare];
      return f && { kind: "struct", name: bare, fields: f.map(field) };
    },
    hasKernelTypes: () => facts.structs !== undefined,
    ...(facts.enumValues ? { kernelEnumValue: (name: string) => (Object.hasOwn(facts.enumValues!, name) ? BigInt(facts.enumValues![name]) : undefined) } : {}),
    resolveBinary(target) {
      const path = facts.aliases?.[target] ?? target;
      return facts.binaries?.[path] ? { ok: true, path, via: path === target ? "path" : "ld.so.cache" } : { ok: false, reason: `\`${target}\` does not exist or is not an ELF file` };
    },
    binarySymbols(path) {
      const b = facts.binaries?.[path];
      if (!b) return { ok: false, reason: `${path}: no such file` };
      const symbols = b.functions.map((name) => ({ name, address: 0n, size: 0, binding: "global" as const, table: ".symtab" as const }));
      return { ok: true, value: { path, symbols, names: new NameIndex(b.functions), cppNames: new NameIndex([...b.functions, ...(b.cpp ?? [])]) } };
    },
    usdtProbes(path) {
      const b = facts.binaries?.[path];
      if (!b) return { ok: false, reason: `${path}: no such file` };
      return {
        ok: true,
        probes: (b.usdt ?? []).map((p) => {
          const [provider, name] = p.split(":");
          return { provider, name, address: 0n, semaphore: 0n, args: "", argCount: 0 };
        }),
      };
    },
    processFiles(pid) {
      const paths = facts.processes?.[pid];
      return paths ? { ok: true, paths } : { ok: false, reason: `/proc/${pid}/maps: ENOENT (no such process, or not allowed)` };
    },
    functionParameters(path, symbol) {
      const p = facts.binaries?.[path]?.parameters?.[symbol];
      if (!p) return { ok: false, reason: `no DWARF entry for \`${symbol}\` in ${path}` };
      const returnType = facts.binaries?.[path]?.returnTypes?.[symbol] ?? "?";
      return { ok: true, function: { name: symbol, qualifiedName: symbol, returnType, params: p.map(([name, type]) => ({ name, type, artificial: name === "this" })) } };
    },
    problems: () => [],
  };
}
