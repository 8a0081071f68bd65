/**
 * The machine as a TypeSource for the type checker: tracepoint fields (tracefs), kernel function
 * parameters and return types (BTF), uprobe parameters (DWARF), kernel structs
 * (BTF). With it, `curtask->pid` is an int32 and `args.filename` of `sys_enter_openat` a pointer,
 * so the type checker's findings about fields and mismatches cover kernel and binary types too.
 */
import { parse, type AttachPoint } from "@bt/parser";
import type { BtType, TypeSource } from "@bt/semantic";
import { hasWildcard, probeParameters, type Machine, type ProbeParameter } from "@bt/system";

/** How a C type spelled by BTF, tracefs or DWARF maps onto bpftrace's types. */
interface CTypeContext {
  /** The kernel builds with `-funsigned-char` (6.2+; bpftrace 0.27 types `const char *` of a tracepoint as `uint8 *`); x86-64 user space has signed `char`. */
  charSigned: boolean;
  /** A struct or union by name (its fields read on first use). */
  struct(tag: "struct" | "union", name: string): BtType;
  /** What a typedef names, through every typedef (`refcount_t` → `struct refcount_struct`); undefined when unknown. */
  typedef?(name: string): string | undefined;
}

const int = (signed: boolean, bits: number): BtType => ({ k: "int", signed, bits });

/** C's integer spellings (LP64), after qualifiers are removed. */
const C_INTEGERS: Record<string, [signed: boolean, bits: number]> = {
  "signed char": [true, 8],
  "unsigned char": [false, 8],
  short: [true, 16],
  "short int": [true, 16],
  "unsigned short": [false, 16],
  "short unsigned int": [false, 16],
  "unsigned short int": [false, 16],
  int: [true, 32],
  "signed int": [true, 32],
  unsigned: [false, 32],
  "unsigned int": [false, 32],
  long: [true, 64],
  "long int": [true, 64],
  "unsigned long": [false, 64],
  "long unsigned int": [false, 64],
  "unsigned long int": [false, 64],
  "long long": [true, 64],
  "long long int": [true, 64],
  "unsigned long long": [false, 64],
  "long long unsigned int": [false, 64],
  "unsigned long long int": [false, 64],
};

/**
 * Kernel and libc typedefs of integers whose size and sign are the same on every 64-bit Linux;
 * the Machine interface names typedefs but does not say what they stand for.
 */
const INTEGER_TYPEDEFS: Record<string, [signed: boolean, bits: number]> = {
  ...Object.fromEntries(
    [8, 16, 32, 64].flatMap((b) => [
      [`u${b}`, [false, b]],
      [`s${b}`, [true, b]],
      [`__u${b}`, [false, b]],
      [`__s${b}`, [true, b]],
      [`uint${b}_t`, [false, b]],
      [`int${b}_t`, [true, b]],
      [`__be${b}`, [false, b]],
      [`__le${b}`, [false, b]],
    ]),
  ),
  pid_t: [true, 32],
  __kernel_pid_t: [true, 32],
  uid_t: [false, 32],
  gid_t: [false, 32],
  kuid_t: [false, 32],
  size_t: [false, 64],
  __kernel_size_t: [false, 64],
  ssize_t: [true, 64],
  __kernel_ssize_t: [true, 64],
  loff_t: [true, 64],
  off_t: [true, 64],
  umode_t: [false, 16],
  dev_t: [false, 32],
  gfp_t: [false, 32],
  sector_t: [false, 64],
  ino_t: [false, 64],
  time64_t: [true, 64],
  ktime_t: [true, 64],
  uintptr_t: [false, 64],
  intptr_t: [true, 64],
};

/**
 * `const char *` → pointer to int8 (uint8 in the kernel); `char[16]` → string[16];
 * `struct file *` → pointer to struct file; `const std::string &`
 * → a pointer. What cannot be mapped exactly is unknown, which never produces a finding.
 */
export function cTypeToBtType(cType: string, context: CTypeContext): BtType {
  let t = cType
    .replace(/__attribute__\s*\(\(.*?\)\)/g, "")
    .replace(/\b(const|volatile|restrict|__restrict|__user|__rcu|__percpu|__iomem|__force)\b/g, "")
    .replace(/\s+/g, " ")
    .trim();
  // bpftrace 0.27 types a `__data_loc` field as int64 (the encoded offset and length), not as its string: measured on
  // sched_process_exec's filename, block_rq_issue's cmd, netif_receive_skb's and irq_handler_entry's name.
  if (t.startsWith("__data_loc ")) return int(true, 64);
  if (t.includes("(")) return /\(\s*\*\s*\)/.test(t) ? { k: "pointer", to: { k: "unknown" } } : { k: "unknown" };
  const dims: (number | undefined)[] = [];
  for (let m = /\[(\d*)\]\s*$/.exec(t); m; m = /\[(\d*)\]\s*$/.exec(t)) {
    dims.unshift(m[1] === "" ? undefined : Number(m[1]));
    t = t.slice(0, m.index).trim();
  }
  let pointers = 0;
  while (/[*&]$/.test(t)) {
    pointers++;
    t = t.slice(0, -1).trim();
  }
  let type = baseType(t, context);
  // A char array is a string for bpftrace (`curtask->comm` is string[16]).
  if (dims.length === 1 && pointers === 0 && isCharType(t)) return { k: "string", ...(dims[0] !== undefined ? { size: dims[0] } : {}) };
  for (let i = 0; i < pointers; i++) type = { k: "pointer", to: type };
  for (let i = dims.length - 1; i >= 0; i--) type = { k: "array", of: type, ...(dims[i] !== undefined ? { length: dims[i] } : {}) };
  return type;
}

const isCharType = (base: string) => base === "char" || base === "signed char" || base === "unsigned char";

function baseType(base: string, context: CTypeContext, depth = 0): BtType {
  if (base === "char") return int(context.charSigned, 8);
  if (base === "void") return { k: "void" };
  // bpftrace 0.27 gives BTF's boolean integer its own type (`args.preempt` of raw tracepoint sched_switch is `bool`).
  if (base === "_Bool" || base === "bool") return { k: "bool" };
  const c = C_INTEGERS[base] ?? INTEGER_TYPEDEFS[base];
  if (c) return int(c[0], c[1]);
  const tagged = /^(struct|union|enum|class) ([A-Za-z_][\w:<>, ]*)$/.exec(base);
  if (tagged) {
    if (tagged[1] === "enum") return { k: "int", signed: false, bits: 64, inexact: true };
    if (tagged[1] === "class") return { k: "unknown" };
    return context.struct(tagged[1] as "struct" | "union", tagged[2]);
  }
  // Other typedefs mean what they name, as for bpftrace (`refcount_t` is `struct refcount_struct`). A typedef
  // of an anonymous struct (`file_ref_t`) stays unknown: bpftrace names it by its shape, which is not spelled here.
  const target = depth < 8 ? context.typedef?.(base) : undefined;
  if (target === undefined || target === base) return { k: "unknown" };
  return /[*&[(]/.test(target) ? cTypeToBtType(target, context) : baseType(target, context, depth + 1);
}

/** A record of named C values, as bpftrace's `args` is for the type checker. */
function recordOf(params: { name: string; type: string }[], context: CTypeContext): BtType {
  return { k: "record", fields: params.filter((p) => p.name !== "").map((p) => ({ name: p.name, type: cTypeToBtType(p.type, context) })) };
}

/**
 * The answer `answers` holds for `key`, computed the first time it is asked. With `limit`, a full
 * map is emptied before a new answer goes in: the language server keeps one source for a session
 * of typing, so old keys are forgotten rather than grown without end.
 */
function remembered<V>(answers: Map<string, V>, key: string, compute: () => V, limit = Infinity): V {
  if (!answers.has(key)) {
    if (answers.size >= limit) answers.clear();
    answers.set(key, compute());
  }
  return answers.get(key) as V;
}

/** How many attach points, and kernel answers per attach point, are remembered at most. */
const ATTACH_POINTS_REMEMBERED = 2000;

/**
 * A TypeSource answering from `machine`. Every answer is remembered: the same struct is one
 * object (so self-referencing structs such as `task_struct` cost one lookup per struct), and
 * fields of a struct are read only when a field of it is used.
 */
export function machineTypeSource(machine: Machine): TypeSource {
  const structs = new Map<string, BtType>();
  const typedefs = new Map<string, string | undefined>();
  const kernel: CTypeContext = {
    charSigned: false,
    struct(tag, name) {
      const key = `${tag} ${name}`;
      return remembered(structs, key, () => lazyStruct(tag, name, () => machine.kernelType(key)?.fields, kernel));
    },
    typedef(name) {
      return remembered(typedefs, name, () => {
        const t = machine.kernelType(name);
        return t?.kind === "typedef" ? t.target : undefined;
      });
    },
  };
  /** Whether the kernel has a type (`struct file`, a typedef) or an enumerator, asked once per name (every cast, sizeof or bare word asks). */
  const typesKnown = new Map<string, boolean>();
  const enumValuesKnown = new Map<string, boolean>();
  const kernelTypeKnown = (key: string): boolean => remembered(typesKnown, key, () => machine.kernelType(key) !== undefined);
  let whole: boolean | undefined;
  // DWARF types of user space: structs there are not the kernel's, so only scalars and pointers are typed.
  const user: CTypeContext = { charSigned: true, struct: () => ({ k: "unknown" }) };

  const attachPoints = new Map<string, AttachPoint | undefined>();
  const attachPointOf = (raw: string): AttachPoint | undefined =>
    remembered(
      attachPoints,
      raw,
      () => {
        const probe = parse(`${raw} {}`).ast.body[0];
        return probe?.type === "Probe" && probe.attachPoints.length === 1 ? probe.attachPoints[0] : undefined;
      },
      ATTACH_POINTS_REMEMBERED,
    );
  const exact = (ap: AttachPoint) => [ap.category, ap.func].every((p) => p === undefined || !hasWildcard(p.value)) && !ap.raw.includes("$");
  /** A uprobe's DWARF parameters, of one binary: a wildcarded or `*` target names none. */
  const oneBinary = (ap: AttachPoint) => ap.targetKind !== "glob" && ap.targetKind !== "all";

  /**
   * The kernel's answers per attach point, made once like its structs: the type checker asks at
   * every `args` and `retval`, and the language server lints the same probes on every edit. User
   * space's are asked each time (the machine notices a rebuilt binary).
   */
  const kernelAnswers = new Map<string, BtType | undefined>();
  const kernelAnswer = (key: string, answer: () => BtType | undefined): BtType | undefined => remembered(kernelAnswers, key, answer, ATTACH_POINTS_REMEMBERED);

  // Only a machine that knows the kernel's types whole (it can look enumerators up) can say one does not exist.
  const typesWhole = () => (whole ??= machine.kernelEnumValue !== undefined && machine.hasKernelTypes());

  return {
    kernelTypeExists(tag, name) {
      return typesWhole() ? kernelTypeKnown(tag ? `${tag} ${name}` : name) : undefined;
    },
    kernelEnumValueExists(name) {
      return typesWhole() ? remembered(enumValuesKnown, name, () => machine.kernelEnumValue!(name) !== undefined) : undefined;
    },
    namedType(tag, name) {
      if (tag) return kernelTypeKnown(`${tag} ${name}`) ? kernel.struct(tag, name) : undefined;
      const c = INTEGER_TYPEDEFS[name];
      if (c) return int(c[0], c[1]);
      const t = kernel.typedef!(name) !== undefined ? baseType(name, kernel) : undefined;
      return t && t.k !== "unknown" ? t : undefined;
    },
    probeArgs(raw) {
      const ap = attachPointOf(raw);
      if (!ap || !exact(ap)) return undefined;
      switch (ap.providerCanonical) {
        case "tracepoint":
          return kernelAnswer(`args ${raw}`, () => {
            const fields = probeParameters(machine, ap)?.params;
            return fields && { k: "record", fields: fields.map((f) => ({ name: f.name, type: tracepointFieldType(f, kernel) })) };
          });
        case "fentry":
        case "fexit":
        case "rawtracepoint":
          return kernelAnswer(`args ${raw}`, () => {
            const params = probeParameters(machine, ap)?.params;
            return params ? recordOf(params, kernel) : undefined;
          });
        case "uprobe":
        case "uretprobe": {
          // Unlike completion, the type checker keeps compiler-made parameters (`this`) in `args`.
          const params = oneBinary(ap) ? probeParameters(machine, ap)?.params : undefined;
          return params && recordOf(params, user);
        }
        default:
          return undefined;
      }
    },
    probeRetval(raw) {
      const ap = attachPointOf(raw);
      if (!ap || !exact(ap)) return undefined;
      if (ap.providerCanonical === "fexit") {
        return kernelAnswer(`retval ${raw}`, () => {
          const returnType = probeParameters(machine, ap)?.returnType;
          return returnType !== undefined && returnType !== "void" ? cTypeToBtType(returnType, kernel) : undefined;
        });
      }
      // uretprobe: bpftrace 0.27 types retval uint64 whatever DWARF says (`int add_numbers(int, int)`), so DWARF is not asked.
      return undefined;
    },
  };
}

/**
 * Integer fields take tracefs's size and sign, as bpftrace 0.27 does (`int dfd` of
 * `sys_enter_openat` is stored in 8 unsigned bytes and bpftrace types it uint64).
 */
function tracepointFieldType(field: ProbeParameter, context: CTypeContext): BtType {
  const t = cTypeToBtType(field.type, context);
  const { size, signed } = field;
  if ((t.k === "int" || t.k === "unknown") && !/[*[]/.test(field.type) && size !== undefined && [1, 2, 4, 8].includes(size) && !/\b(struct|union)\b/.test(field.type))
    return int(signed ?? false, size * 8);
  return t;
}

/** A struct whose fields are read from the machine on first use. */
function lazyStruct(tag: "struct" | "union", name: string, read: () => { name: string; type: string }[] | undefined, context: CTypeContext): BtType {
  const struct = { k: "struct", tag, name } as Extract<BtType, { k: "struct" }>;
  Object.defineProperty(struct, "fields", {
    enumerable: true,
    configurable: true,
    get() {
      const fields = read();
      const map = fields && fields.length > 0 ? new Map(fields.map((f) => [f.name, cTypeToBtType(f.type, context)] as const)) : undefined;
      Object.defineProperty(struct, "fields", { value: map, enumerable: true });
      return map;
    },
  });
  return struct;
}
