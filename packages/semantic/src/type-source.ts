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
   * The run's positional parameters (`$1` is the first), when the run is known (bt-run knows
   * them): `$N` is then typed as bpftrace types it, an integer for a number and a string
   * otherwise, and one not given is empty. Without them `$N` is unknown.
   */
  positionalParameters?: readonly string[];
}

/** `source` with the run's positional parameters added. */
export function withPositionalParameters(source: TypeSource | undefined, positionalParameters: readonly string[]): TypeSource {
  return {
    namedType: source?.namedType?.bind(source),
    probeArgs: source?.probeArgs?.bind(source),
    probeRetval: source?.probeRetval?.bind(source),
    positionalParameters,
  };
}

/** No facts beyond the script: everything from the kernel or a binary is unknown. */
export const NO_TYPE_SOURCE: TypeSource = {};
