/**
 * Where types from outside the script come from: kernel BTF, a binary's DWARF, tracepoint
 * formats. The type checker asks a TypeSource and treats every `undefined` answer as the
 * unknown type, which never produces a finding. A BTF reader plugs in here; without one, bt-lint
 * knows only the script's own C definitions and bpftrace's builtin types.
 */
import type { BtType } from "./type-system.ts";

export interface TypeSource {
  /** A struct, union or typedef the script does not define (`struct task_struct`), with its fields. */
  namedType?(tag: "struct" | "union" | undefined, name: string): BtType | undefined;
  /** The type of `args` (a record of the probe's arguments) for one attach point, e.g. `tracepoint:syscalls:sys_enter_openat`. */
  probeArgs?(attachPoint: string): BtType | undefined;
  /** The type of `retval` for one attach point (fexit, uretprobe with DWARF). */
  probeRetval?(attachPoint: string): BtType | undefined;
  /**
   * Whether the kernel has a type of this name: with a tag, a struct, union or enum of it; without,
   * any struct, union, enum or typedef. `undefined` when the source cannot tell (no BTF): only a
   * `false` lets the type checker say the type does not exist.
   */
  kernelTypeExists?(tag: "struct" | "union" | "enum" | undefined, name: string): boolean | undefined;
  /** Whether a kernel enum has an enumerator of this name (`BPF_MAP_TYPE_HASH`); `undefined` when the source cannot tell. */
  kernelEnumValueExists?(name: string): boolean | undefined;
  /** What is known of the run the program is for (bt-run knows it; bt-lint alone does not). */
  run?: RunFacts;
}

/** Facts of one run of bpftrace: its command line. Each one absent is not known, and never produces a problem. */
export interface RunFacts {
  /**
   * The run's positional parameters (`$1` is the first): `$N` is then typed as bpftrace types it,
   * an integer for a number and a string otherwise, and one not given is empty.
   */
  positionalParameters?: readonly string[];
  /** Whether the run has `--unsafe`: without it, unsafe functions (`system()`) are refused. */
  unsafe?: boolean;
}

/** `source` with the facts of the run added. */
export function withRun(source: TypeSource | undefined, run: RunFacts): TypeSource {
  return {
    namedType: source?.namedType?.bind(source),
    probeArgs: source?.probeArgs?.bind(source),
    probeRetval: source?.probeRetval?.bind(source),
    kernelTypeExists: source?.kernelTypeExists?.bind(source),
    kernelEnumValueExists: source?.kernelEnumValueExists?.bind(source),
    run,
  };
}

/** No facts beyond the script: everything from the kernel or a binary is unknown. */
export const NO_TYPE_SOURCE: TypeSource = {};
