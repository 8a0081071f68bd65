import { walk, type AttachPoint, type Probe, type Variable } from "@bt/parser";
import type { BtType, SemanticModel } from "@bt/semantic";
import { probeParameters, signatureText, type Machine } from "@bt/system";

/**
 * Fields from this machine, named by C type strings as BTF, tracefs and DWARF give them: the
 * arguments of a probe (`args.NAME`: tracepoint fields, fentry/fexit and uprobe parameters) and
 * the members of kernel structs (`curtask->pid`). Completion and hover of fields ask here.
 */

export interface MachineField {
  name: string;
  /** The C type as the machine spells it (`const char *`, `struct task_struct *`). */
  type: string;
}

/**
 * `args` of an attach point: what bpftrace reads for `args.NAME` there; undefined when unknown.
 * Completion and hover leave out what a program does not read by name: tracepoint `common_*`
 * fields, unnamed kernel parameters and compiler-made DWARF ones (`this`). fexit adds `retval`.
 */
export function probeArguments(machine: Machine, ap: AttachPoint): MachineField[] | undefined {
  const found = probeParameters(machine, ap);
  if (!found) return undefined;
  let params = found.params;
  switch (ap.providerCanonical) {
    case "tracepoint":
      params = params.filter((f) => !f.name.startsWith("common_"));
      break;
    case "fentry":
    case "fexit":
      params = params.filter((p) => p.name);
      break;
    case "uprobe":
    case "uretprobe":
      params = params.filter((p) => !p.artificial);
      break;
  }
  const fields = params.map((p) => ({ name: p.name, type: p.type }));
  return ap.providerCanonical === "fexit" ? [...fields, { name: "retval", type: found.returnType! }] : fields;
}

/** The struct or union a C type leads to through pointers, qualifiers and typedef names (`struct file *` → `file`). */
export function structNameOf(cType: string): string | undefined {
  const bare = cType
    .replace(/\b(const|volatile|restrict)\b/g, "")
    .replace(/[*&]/g, "")
    .trim();
  if (/\[|\(/.test(bare)) return undefined;
  const tagged = /^(?:struct|union)\s+([A-Za-z_]\w*)$/.exec(bare);
  if (tagged) return tagged[1];
  return /^[A-Za-z_]\w*$/.test(bare) ? bare : undefined;
}

export function structMembers(machine: Machine, cType: string): MachineField[] | undefined {
  const name = structNameOf(cType);
  return name ? machine.structFields(name)?.map((f) => ({ name: f.name, type: f.type })) : undefined;
}

/** Built-ins whose value is a kernel struct pointer. */
const STRUCT_BUILTINS: Record<string, string> = { curtask: "struct task_struct *" };

/**
 * The fields that may follow a chain of accesses like `curtask->mm->`, `args.file->f_path.`,
 * `args.`, `$task->mm->` or `((struct file *)arg0)->`, as written before the cursor; undefined when
 * the chain's start is not known here. `variableType` gives a scratch variable's C type.
 */
export function fieldsAfterChain(machine: Machine, chain: string[], probe: Probe | undefined, variableType?: (name: string) => string | undefined): MachineField[] | undefined {
  const [base, ...path] = chain;
  let fields: MachineField[] | undefined;
  const cast = /^\((.*)\)$/.exec(base);
  if (cast) fields = structMembers(machine, cast[1]);
  else if (base.startsWith("$")) {
    const type = variableType?.(base);
    fields = type ? structMembers(machine, type) : undefined;
  } else if (base === "args") {
    const ap = probe?.attachPoints[0];
    fields = ap && probeArguments(machine, ap);
  } else if (STRUCT_BUILTINS[base]) {
    fields = structMembers(machine, STRUCT_BUILTINS[base]);
  }
  for (const name of path) {
    const field = fields?.find((f) => f.name === name);
    fields = field && structMembers(machine, field.type);
  }
  return fields;
}

/** The C type at the end of a chain (`curtask->mm` → `struct mm_struct *`), for hover. */
export function typeOfChain(machine: Machine, chain: string[], probe: Probe | undefined): string | undefined {
  if (chain.length === 1) return STRUCT_BUILTINS[chain[0]];
  const fields = fieldsAfterChain(machine, chain.slice(0, -1), probe);
  return fields?.find((f) => f.name === chain.at(-1))?.type;
}

/**
 * What hover adds to `retval` in a uretprobe whose attach points all name one function with
 * DWARF: the function's own return type, beside the type bpftrace gives `retval` (measured with
 * bpftrace 0.27: `uint64` for `int add_numbers(…)` and `const char *name_of(…)` alike).
 */
export function uretprobeReturnNote(machine: Machine, probe: Probe | undefined): string | undefined {
  const types = new Set<string>();
  let name = "";
  for (const ap of probe?.attachPoints ?? []) {
    if (ap.providerCanonical !== "uretprobe" || !ap.target || !ap.func || /[*?[]/.test(ap.func.value)) return undefined;
    const binary = machine.resolveBinary(ap.target.value);
    const dwarf = binary.ok ? machine.functionParameters(binary.path, ap.func.value) : undefined;
    if (!dwarf?.ok) return undefined;
    types.add(dwarf.function.returnType);
    name = dwarf.function.qualifiedName;
  }
  if (types.size !== 1) return undefined;
  const [type] = types;
  return `\`${name}\` returns \`${type}\` (DWARF); bpftrace reads \`retval\` as \`uint64\` whatever the function returns, so cast it to read it as \`${type}\`.`;
}

/** What hover says about a kernel function or raw tracepoint an attach point names (its BTF signature, or `args`). */
export function kernelFunctionSignature(machine: Machine, ap: AttachPoint): string | undefined {
  if (ap.providerCanonical === "rawtracepoint") {
    const args = probeArguments(machine, ap);
    return args && `rawtracepoint ${ap.func!.value}(${args.map((a) => (a.type.endsWith("*") ? `${a.type}${a.name}` : `${a.type} ${a.name}`)).join(", ")})`;
  }
  const kernel = ["kprobe", "kretprobe", "fentry", "fexit"];
  if (!ap.providerCanonical || !kernel.includes(ap.providerCanonical) || !ap.func) return undefined;
  const signature = machine.kernelFunction(ap.func.value);
  return signature && signatureText(signature);
}

/**
 * The access chain ending just before `end` in `text`: `curtask->mm->` → [curtask, mm],
 * `args.file->f_path.` → [args, file, f_path]. Undefined when the text there is no such chain.
 */
export function chainBefore(text: string, end: number): string[] | undefined {
  const before = text.slice(Math.max(0, end - 400), end);
  const match = /(\$?[A-Za-z_]\w*(?:\s*(?:\.|->)\s*[A-Za-z_]\w*)*)\s*(?:\.|->)\s*$/.exec(before);
  if (match) {
    const chain = match[1].split(/\s*(?:\.|->)\s*/);
    // `((struct file *)arg0)->f_path.`: the chain starts at a cast, written as `(struct file *)`.
    const prefix = before.slice(0, match.index);
    const access = /\)\s*(?:\.|->)\s*$/.exec(prefix);
    if (!access) return chain;
    const castType = castBefore(prefix.slice(0, access.index + 1));
    return castType ? [`(${castType})`, ...chain] : undefined;
  }
  const cast = /\)\s*(?:\.|->)\s*$/.exec(before);
  const castType = cast && castBefore(before.slice(0, cast.index + 1));
  return castType ? [`(${castType})`] : undefined;
}

/** The struct type of a parenthesized cast ending `text` (`((struct file *)arg0)` → `struct file *`). */
function castBefore(text: string): string | undefined {
  const m = /\(\s*\(\s*((?:struct|union)\s+[A-Za-z_]\w*\s*\*?)\s*\)[^()]*\)$/.exec(text);
  return m?.[1].replace(/\s*\*$/, " *");
}

/** A C spelling of a type the type checker inferred, when it leads to a kernel struct (`struct task_struct *`). */
function cTypeOf(type: BtType | undefined): string | undefined {
  if (type?.k === "struct") return `${type.tag} ${type.name}`;
  if (type?.k === "pointer" && type.to.k === "struct") return `${type.to.tag} ${type.to.name} *`;
  return undefined;
}

/**
 * The C type of scratch variable `name` at `before` in `probe`, as the type checker inferred it
 * (`$t = curtask` → `struct task_struct *`; with the machine's types, `$f = args.file` too).
 */
export function variableCType(model: SemanticModel, probe: Probe | undefined, name: string, before: number): string | undefined {
  if (!probe) return undefined;
  let last: Variable | undefined;
  walk(probe, (n) => {
    if (n.type === "Variable" && n.name === name && n.range.end.offset <= before) last = n;
  });
  const symbol = last && model.symbolOf(last);
  return symbol && cTypeOf(model.types.variableType(symbol));
}
