/**
 * What the running kernel offers bpftrace, from the sources an unprivileged user can read
 * (`/sys/kernel/btf/*`, `/proc/kallsyms`) and, when readable, tracefs. Each answer says which
 * source it came from.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Btf, BtfFormatError, Kind } from "./btf.ts";
import { FileCache, fileIdentity } from "./file-identity.ts";
import { NameIndex } from "./names.ts";
import { readLines, readText } from "./read-text.ts";
import { parseTracepointFormat, type TracepointField } from "./tracefs.ts";

export interface KernelPaths {
  /** Holds `vmlinux` and one split BTF file per module. */
  btfDir: string;
  /** tracefs mount points, tried in order. */
  tracefsDirs: string[];
  kallsyms: string;
}

export const DEFAULT_KERNEL_PATHS: KernelPaths = {
  btfDir: "/sys/kernel/btf",
  tracefsDirs: ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"],
  kallsyms: "/proc/kallsyms",
};

export type KernelFunctionSource = "available_filter_functions" | "btf+kallsyms" | "btf" | "kallsyms" | "none";

export interface KernelFunctions {
  source: KernelFunctionSource;
  /** What was read and what could not be, for messages ("… (from /proc/kallsyms; tracefs not readable)"). */
  note: string;
  names: NameIndex;
  /** Module of a function that lives in a module (`[module]` in the listings). */
  moduleOf(name: string): string | undefined;
  /** Modules with functions here, `vmlinux` (the kernel itself) included: what `kprobe:MODULE:func` may name. */
  modules: NameIndex;
  /** Functions of one module (`vmlinux`: those of the kernel itself); undefined for a module not listed. */
  inModule(module: string): NameIndex | undefined;
}

/** Raw tracepoints as bpftrace 0.27 lists them: BTF functions `__probestub_EVENT` / `__traceiter_EVENT`. */
export interface RawTracepoints {
  source: "btf" | "none";
  note: string;
  /** `module:event` (`vmlinux:sched_switch`), as `bpftrace -l 'rawtracepoint:*'` prints them. */
  names: NameIndex;
  /** Events without their module (`sched_switch`): what `rawtracepoint:EVENT` matches. */
  events: NameIndex;
}

export interface Tracepoints {
  source: "tracefs" | "btf" | "none";
  /** True when the list is incomplete (BTF knows event classes, not every event, and no syscalls). */
  partial: boolean;
  note: string;
  /** `category:event`. */
  events: NameIndex;
  categories: NameIndex;
}

export interface KernelParameter {
  name: string;
  type: string;
}

export interface KernelFunctionSignature {
  name: string;
  /** Undefined for vmlinux. */
  module?: string;
  returnType: string;
  params: KernelParameter[];
  variadic: boolean;
}

export interface StructField {
  name: string;
  type: string;
  /** Byte offset in the struct (bit offset / 8, rounded down for bitfields). */
  offset: number;
  bitSize?: number;
}

export interface KernelType {
  kind: "struct" | "union" | "enum" | "typedef";
  name: string;
  /** Members, with those of anonymous struct/union members lifted (they are named directly in C and bpftrace). */
  fields: StructField[];
  /** A typedef's meaning, through every typedef and qualifier: `struct refcount_struct`, `_Bool`, `long unsigned int`, `struct (anonymous)`. */
  target?: string;
}

/** `ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)`: a signature as C declares it (hover text). */
export function signatureText(sig: KernelFunctionSignature): string {
  const params = sig.params.map((p) => (p.name ? (p.type.endsWith("*") ? `${p.type}${p.name}` : `${p.type} ${p.name}`) : p.type));
  if (sig.variadic) params.push("...");
  const ret = sig.returnType.endsWith("*") ? sig.returnType : `${sig.returnType} `;
  return `${ret}${sig.name}(${params.length ? params.join(", ") : "void"})`;
}

const btfCache = new FileCache<Btf | Error>();

/** bpftrace's names for the BTF stubs of a raw tracepoint (its `RT_BTF_PREFIXES`), in the order it tries them. */
const RAW_TRACEPOINT_PREFIXES = ["__probestub_", "__traceiter_"];

function rawTracepointEvent(funcName: string): string | undefined {
  for (const prefix of RAW_TRACEPOINT_PREFIXES) if (funcName.startsWith(prefix)) return funcName.slice(prefix.length);
  return undefined;
}

/** Kernel function names gathered per module (`vmlinux` for the kernel itself). */
class FunctionsByModule {
  private readonly byModule = new Map<string, string[]>();

  add(name: string, module = "vmlinux"): void {
    let list = this.byModule.get(module);
    if (!list) this.byModule.set(module, (list = []));
    list.push(name);
  }

  /** The lists as indexes, made now: an index is smaller than the list of strings it is made from. */
  done(source: KernelFunctionSource, note: string): KernelFunctions {
    const indexes = new Map<string, NameIndex>();
    for (const [module, names] of this.byModule) indexes.set(module, new NameIndex(names));
    // Without modules (or before any is loaded) vmlinux's functions are all of them: one index, not two copies.
    const names = indexes.size === 1 && indexes.has("vmlinux") ? indexes.get("vmlinux")! : new NameIndex([...this.byModule.values()].flat());
    this.byModule.clear();
    return {
      source,
      note,
      names,
      moduleOf(name) {
        for (const [module, index] of indexes) if (module !== "vmlinux" && index.has(name)) return module;
        return undefined;
      },
      modules: new NameIndex(indexes.keys()),
      inModule: (module) => indexes.get(module),
    };
  }
}

export class Kernel {
  private functionList?: KernelFunctions;
  private rawTracepointList?: RawTracepoints;
  private tracepointList?: Tracepoints;
  private readonly formatCache = new Map<string, TracepointField[] | undefined>();
  private readonly moduleCache = new Map<string, { identity: string; btf: Btf }>();
  /** vmlinux's functions with BTF, for the vmlinux BTF they were read with (the machine remembers the other lists). */
  private vmlinuxBtfFunctions?: { base: Btf; names: NameIndex };

  constructor(readonly paths: KernelPaths = DEFAULT_KERNEL_PATHS) {}

  /** vmlinux BTF, read once per file identity; undefined (with a reason in `btfProblem`) when absent or unreadable. */
  btf(): Btf | undefined {
    const value = btfCache.get(join(this.paths.btfDir, "vmlinux"), (p) => loadBtf(p));
    return value instanceof Btf ? value : undefined;
  }

  /** Why there is no vmlinux BTF, or undefined when there is. */
  btfProblem(): string | undefined {
    const path = join(this.paths.btfDir, "vmlinux");
    const value = btfCache.get(path, (p) => loadBtf(p));
    if (value === undefined) return `${path} does not exist (kernel built without CONFIG_DEBUG_INFO_BTF)`;
    return value instanceof Error ? `${path}: ${value.message}` : undefined;
  }

  /** Modules that have split BTF. */
  btfModules(): string[] {
    try {
      return readdirSync(this.paths.btfDir).filter((n) => n !== "vmlinux").sort();
    } catch {
      return [];
    }
  }

  /** A module's split BTF on top of vmlinux (re-read when either file changes). */
  moduleBtf(module: string): Btf | undefined {
    if (module === "vmlinux" || module.includes("/")) return undefined;
    const base = this.btf();
    if (!base) return undefined;
    const path = join(this.paths.btfDir, module);
    const identity = fileIdentity(path);
    if (identity === undefined) return undefined;
    const hit = this.moduleCache.get(module);
    if (hit && hit.identity === identity && hit.btf.base === base) return hit.btf;
    const value = loadBtf(path, base);
    if (!(value instanceof Btf)) return undefined;
    this.moduleCache.set(module, { identity, btf: value });
    return value;
  }

  /**
   * Functions kprobes can attach to: `available_filter_functions` when readable (root, no lockdown),
   * else BTF functions (vmlinux and modules) joined with the text symbols of `/proc/kallsyms`.
   */
  functions(): KernelFunctions {
    if (this.functionList) return this.functionList;
    const problems: string[] = [];
    for (const dir of this.paths.tracefsDirs) {
      const path = join(dir, "available_filter_functions");
      const list = new FunctionsByModule();
      const r = readLines(path, (line) => {
        const m = /^(\S+)(?:\s+\[([^\]]+)\])?/.exec(line);
        if (m) list.add(m[1], m[2]);
      });
      if (!r.ok) {
        problems.push(r.reason);
        continue;
      }
      return (this.functionList = list.done("available_filter_functions", `from ${path}`));
    }

    const list = new FunctionsByModule();
    const used: string[] = [];
    const vmlinux = this.btf();
    if (vmlinux) {
      for (const n of vmlinux.functionNames()) list.add(n);
      for (const mod of this.btfModules()) {
        const b = this.moduleBtf(mod);
        if (!b) continue;
        for (const n of b.functionNames()) list.add(n, mod);
      }
      used.push(`BTF in ${this.paths.btfDir}`);
    } else problems.push(this.btfProblem() ?? "no BTF");
    // `address type name[\t[module]]`; t/T are text (code) symbols. indexOf, not a regex: 120,000 lines.
    const k = readLines(this.paths.kallsyms, (line) => {
      const space = line.indexOf(" ");
      const type = line.charCodeAt(space + 1);
      if (type !== 116 && type !== 84) return;
      const tab = line.indexOf("\t", space + 3);
      if (tab < 0) {
        list.add(line.slice(space + 3));
        return;
      }
      const module = line.slice(tab + 2, line.lastIndexOf("]"));
      if (!module.startsWith("__builtin")) list.add(line.slice(space + 3, tab), module);
    });
    if (k.ok) used.push(this.paths.kallsyms);
    else problems.push(k.reason);
    const source: KernelFunctionSource = vmlinux && k.ok ? "btf+kallsyms" : vmlinux ? "btf" : k.ok ? "kallsyms" : "none";
    const note = `${used.length ? `from ${used.join(" and ")}` : "no source readable"}${problems.length ? ` (not readable: ${problems.join("; ")})` : ""}`;
    return (this.functionList = list.done(source, note));
  }

  /**
   * Raw tracepoints from BTF, found as bpftrace 0.27 lists them: a FUNC named `__probestub_EVENT`
   * or `__traceiter_EVENT` (the kernel's tracepoint stubs), in vmlinux (module `vmlinux`) or a
   * module's split BTF. 0.27 lists stubs of any parameter count (measured: 1,603 here, 81 with
   * more than 6 parameters; bpftrace's later sources leave those out).
   */
  rawTracepoints(): RawTracepoints {
    if (this.rawTracepointList) return this.rawTracepointList;
    const vmlinux = this.btf();
    if (!vmlinux) return (this.rawTracepointList = { source: "none", note: this.btfProblem() ?? "no BTF", names: new NameIndex([]), events: new NameIndex([]) });
    const names: string[] = [];
    const events: string[] = [];
    const collect = (b: Btf, module: string) => {
      for (const id of b.idsOfKind(Kind.Func)) {
        const event = rawTracepointEvent(b.name(id));
        if (event === undefined) continue;
        names.push(`${module}:${event}`);
        events.push(event);
      }
    };
    collect(vmlinux, "vmlinux");
    for (const mod of this.btfModules()) {
      const b = this.moduleBtf(mod);
      if (b) collect(b, mod);
    }
    return (this.rawTracepointList = { source: "btf", note: `from ${this.paths.btfDir}`, names: new NameIndex(names), events: new NameIndex(events) });
  }

  /**
   * `args` of a raw tracepoint: the parameters of its BTF stub after the first (`void *__data`),
   * as bpftrace 0.27 gives them. `module` narrows the search to one BTF file.
   */
  rawTracepointArgs(event: string, module?: string): KernelParameter[] | undefined {
    const vmlinux = this.btf();
    if (!vmlinux) return undefined;
    const sources: Btf[] = [];
    if (module === undefined || module === "vmlinux") sources.push(vmlinux);
    for (const mod of module === undefined ? this.btfModules() : module === "vmlinux" ? [] : [module]) {
      const b = this.moduleBtf(mod);
      if (b) sources.push(b);
    }
    for (const b of sources) {
      for (const prefix of RAW_TRACEPOINT_PREFIXES) {
        for (const id of b.idsNamed(prefix + event)) {
          if (b.kind(id) !== Kind.Func || id < b.firstId) continue;
          const sig = b.signature(id);
          if (sig) return sig.params.slice(1).map((p) => ({ name: p.name, type: p.type }));
        }
      }
    }
    return undefined;
  }

  /** Signature of a kernel function from BTF (what fentry/fexit `args.NAME` and hover need). */
  functionSignature(name: string): KernelFunctionSignature | undefined {
    const vmlinux = this.btf();
    if (!vmlinux) return undefined;
    const found = (b: Btf, module?: string): KernelFunctionSignature | undefined => {
      for (const id of b.idsNamed(name)) {
        if (b.kind(id) !== Kind.Func || id < b.firstId) continue;
        const sig = b.signature(id);
        if (sig) return { name, module, returnType: sig.returnType, params: sig.params.map((p) => ({ name: p.name, type: p.type })), variadic: sig.variadic };
      }
      return undefined;
    };
    const own = found(vmlinux);
    if (own) return own;
    for (const mod of this.btfModules()) {
      const b = this.moduleBtf(mod);
      const s = b && found(b, mod);
      if (s) return s;
    }
    return undefined;
  }

  /** Functions with BTF (the ones fentry/fexit can attach to); with `module`, those of its BTF (`vmlinux`: the kernel's). */
  btfFunctions(module?: string): NameIndex {
    const modules = module === undefined ? this.btfModules() : module === "vmlinux" ? [] : [module];
    const withVmlinux = module === undefined || module === "vmlinux";
    const vmlinux = this.btf();
    // Without module BTF, all functions with BTF are vmlinux's: one index for both questions.
    if (vmlinux && withVmlinux && modules.length === 0) {
      if (this.vmlinuxBtfFunctions?.base !== vmlinux) this.vmlinuxBtfFunctions = { base: vmlinux, names: new NameIndex(vmlinux.functionNames()) };
      return this.vmlinuxBtfFunctions.names;
    }
    const names: string[] = [];
    if (vmlinux && withVmlinux) names.push(...vmlinux.functionNames());
    for (const mod of modules) names.push(...(this.moduleBtf(mod)?.functionNames() ?? []));
    return new NameIndex(names);
  }

  /**
   * A struct, union, enum or typedef by name (`task_struct`, `struct task_struct`, `union bpf_attr`),
   * from vmlinux BTF then the modules'. A typedef lists the fields of the struct it names.
   */
  type(name: string): KernelType | undefined {
    const m = /^(?:(struct|union|enum)\s+)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(name.trim());
    if (!m) return undefined;
    const wanted = m[1] === "struct" ? [Kind.Struct] : m[1] === "union" ? [Kind.Union] : m[1] === "enum" ? [Kind.Enum, Kind.Enum64] : [Kind.Struct, Kind.Union, Kind.Typedef, Kind.Enum, Kind.Enum64];
    const sources: Btf[] = [];
    const vmlinux = this.btf();
    if (vmlinux) sources.push(vmlinux);
    for (const mod of this.btfModules()) {
      const b = this.moduleBtf(mod);
      if (b) sources.push(b);
    }
    for (const b of sources) {
      // Prefer a complete definition over a forward declaration or a typedef of the same name.
      const ids = b.idsNamed(m[2]).filter((id) => wanted.includes(b.kind(id)));
      const id = ids.find((i) => b.kind(i) !== Kind.Typedef) ?? ids[0];
      if (id === undefined) continue;
      const kind = b.kind(id);
      const resolved = kind === Kind.Typedef ? b.resolve(id) : id;
      const rk = b.kind(resolved);
      const fields: StructField[] =
        rk === Kind.Struct || rk === Kind.Union
          ? b.members(resolved, true).map((mm) => ({ name: mm.name, type: mm.type, offset: Math.floor(mm.bitOffset / 8), ...(mm.bitSize ? { bitSize: mm.bitSize } : {}) }))
          : [];
      const k = kind === Kind.Typedef ? "typedef" : kind === Kind.Union ? "union" : kind === Kind.Struct ? "struct" : "enum";
      return { kind: k, name: m[2], fields, ...(kind === Kind.Typedef ? { target: b.typeName(resolved) } : {}) };
    }
    return undefined;
  }

  /**
   * The value of a kernel enum's enumerator (`BPF_MAP_TYPE_HASH` → 1n), from vmlinux BTF then the
   * modules'; undefined when no enum there has one of that name.
   */
  enumValue(name: string): bigint | undefined {
    const vmlinux = this.btf();
    if (!vmlinux) return undefined;
    const own = vmlinux.enumerator(name);
    if (own !== undefined) return own;
    for (const mod of this.btfModules()) {
      const b = this.moduleBtf(mod);
      const v = b?.enumerator(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Fields of a struct or union (or a typedef of one); undefined when the type is unknown. */
  structFields(name: string): StructField[] | undefined {
    const t = this.type(name);
    return t && t.kind !== "enum" ? t.fields : undefined;
  }

  /**
   * Tracepoints: tracefs when readable (complete, with field formats); else the event classes
   * BTF knows from `struct trace_event_raw_<class>` (partial: no categories, no syscalls).
   */
  tracepoints(): Tracepoints {
    if (this.tracepointList) return this.tracepointList;
    const problems: string[] = [];
    for (const dir of this.paths.tracefsDirs) {
      const events: string[] = [];
      const listing = readLines(join(dir, "available_events"), (line) => {
        if (/^[^:\s]+:[^:\s]+$/.test(line.trim())) events.push(line.trim());
      });
      if (!listing.ok) {
        try {
          for (const cat of readdirSync(join(dir, "events"), { withFileTypes: true })) {
            if (!cat.isDirectory()) continue;
            for (const ev of readdirSync(join(dir, "events", cat.name), { withFileTypes: true })) {
              if (ev.isDirectory()) events.push(`${cat.name}:${ev.name}`);
            }
          }
        } catch (err) {
          problems.push(`${join(dir, "events")}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
          continue;
        }
      }
      if (events.length === 0) {
        problems.push(`${dir}: no events`);
        continue;
      }
      return (this.tracepointList = {
        source: "tracefs",
        partial: false,
        note: `from ${dir}`,
        events: new NameIndex(events),
        categories: new NameIndex(events.map((e) => e.slice(0, e.indexOf(":")))),
      });
    }
    const b = this.btf();
    if (b) {
      const classes: string[] = [];
      for (const id of b.idsOfKind(Kind.Struct)) {
        const n = b.name(id);
        if (n.startsWith("trace_event_raw_")) classes.push(`*:${n.slice("trace_event_raw_".length)}`);
      }
      return (this.tracepointList = {
        source: "btf",
        partial: true,
        note: `event classes from BTF (struct trace_event_raw_*), not every event; tracefs not readable (${problems.join("; ")})`,
        events: new NameIndex(classes),
        categories: new NameIndex([]),
      });
    }
    return (this.tracepointList = { source: "none", partial: true, note: `no source readable (${problems.join("; ")})`, events: new NameIndex([]), categories: new NameIndex([]) });
  }

  /** Fields of a tracepoint (`args.NAME`) from its tracefs `format` file; undefined when unknown. */
  tracepointFields(category: string, event: string): TracepointField[] | undefined {
    if (!/^[A-Za-z0-9_.-]+$/.test(category) || !/^[A-Za-z0-9_.-]+$/.test(event)) return undefined;
    const key = `${category}:${event}`;
    if (this.formatCache.has(key)) return this.formatCache.get(key);
    let fields: TracepointField[] | undefined;
    for (const dir of this.paths.tracefsDirs) {
      const r = readText(join(dir, "events", category, event, "format"));
      if (!r.ok) continue;
      try {
        fields = parseTracepointFormat(r.text);
        break;
      } catch {
        /* not a format file: try the next mount */
      }
    }
    this.formatCache.set(key, fields);
    return fields;
  }
}

function loadBtf(path: string, base?: Btf): Btf | Error {
  try {
    return new Btf(readFileSync(path), base);
  } catch (err) {
    if (err instanceof BtfFormatError) return err;
    return new Error((err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
}
