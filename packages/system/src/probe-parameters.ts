/**
 * Which question to this machine gives a probe's `args` and `retval`, per provider: tracefs for
 * tracepoints, BTF for raw tracepoints and fentry/fexit, DWARF for uprobes. The language server
 * (completion and hover of `args.NAME`) and the linter's type source both ask here and present
 * the answer their own way.
 */
import type { Machine } from "./machine.ts";
import { hasWildcard } from "./names.ts";

/** The parts of an attach point that say where its parameters come from (a `@bt/parser` AttachPoint has them). */
export interface ProbeSite {
  /** Canonical provider (`tracepoint`, `fexit`, `uprobe`, …). */
  providerCanonical?: string;
  /** Tracepoint category. */
  category?: { value: string };
  /** Tracepoint event, raw tracepoint, kernel or user function. */
  func?: { value: string };
  /** Kernel module of a raw tracepoint. */
  module?: { value: string };
  /** uprobe binary or library. */
  target?: { value: string };
}

/** One C-level value of a probe: a tracepoint field or a function parameter. */
export interface ProbeParameter {
  /** Empty when BTF or DWARF gives the parameter no name. */
  name: string;
  /** The C type as the machine spells it (`const char *`, `struct task_struct *`, `__data_loc char[]`). */
  type: string;
  /** Bytes tracefs stores the field in (tracepoints only). */
  size?: number;
  /** Whether tracefs says the field is signed (tracepoints only). */
  signed?: boolean;
  /** Compiler-made DWARF parameter, such as `this` of a member function (uprobes only). */
  artificial?: boolean;
}

export interface ProbeParameters {
  /** In the order the machine gives them, `common_*` tracepoint fields, unnamed and artificial parameters included. */
  params: ProbeParameter[];
  /** The function's C return type where BTF or DWARF gives one (fentry/fexit, uprobe/uretprobe). */
  returnType?: string;
}

/**
 * The parameters of the probe at `site` as this machine describes them; undefined when the
 * provider has none or the machine does not know them. A raw tracepoint of a wildcarded module
 * has no one answer. Callers filter what their users should not see.
 */
export function probeParameters(machine: Machine, site: ProbeSite): ProbeParameters | undefined {
  const func = site.func?.value;
  if (!func) return undefined;
  switch (site.providerCanonical) {
    case "tracepoint": {
      const fields = site.category ? machine.tracepointFields(site.category.value, func) : undefined;
      return fields && { params: fields.map((f) => ({ name: f.name, type: f.type, size: f.size, signed: f.signed })) };
    }
    case "rawtracepoint": {
      if (site.module && hasWildcard(site.module.value)) return undefined;
      const args = machine.rawTracepointArgs(func, site.module?.value);
      return args && { params: args.map((a) => ({ name: a.name, type: a.type })) };
    }
    case "fentry":
    case "fexit": {
      const signature = machine.kernelFunction(func);
      return signature && { params: signature.params.map((p) => ({ name: p.name, type: p.type })), returnType: signature.returnType };
    }
    case "uprobe":
    case "uretprobe": {
      if (!site.target) return undefined;
      const binary = machine.resolveBinary(site.target.value);
      const dwarf = binary.ok ? machine.functionParameters(binary.path, func) : undefined;
      if (!dwarf?.ok) return undefined;
      return { params: dwarf.function.params.map((p) => ({ name: p.name, type: p.type, artificial: p.artificial })), returnType: dwarf.function.returnType };
    }
    default:
      return undefined;
  }
}
