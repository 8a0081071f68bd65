/**
 * What the machine rules share: which list of names an attach point is checked against, and
 * "did you mean" text.
 */
import type { AttachPart, AttachPoint } from "@bt/parser";
import { hasWildcard, NameIndex, type Machine } from "@bt/system";
import type { RuleContext } from "../types.ts";

/** Attach points whose parts are given at run time (`$1`, `str($1)`) cannot be checked here. */
export function hasPositional(ap: AttachPoint): boolean {
  return /\$\d|\$#/.test(ap.raw);
}

export function didYouMean(candidates: string[], quote = (s: string) => `\`${s}\``): string {
  if (candidates.length === 0) return "";
  if (candidates.length === 1) return ` Did you mean ${quote(candidates[0])}?`;
  return ` Did you mean ${candidates.slice(0, -1).map(quote).join(", ")} or ${quote(candidates[candidates.length - 1])}?`;
}

/** What an attach point's function part is matched against on this machine. */
export interface FunctionSpace {
  /** The part whose value is a name (or pattern) in `names`. */
  part: AttachPart;
  /** The value as looked up (`category:event` for tracepoints). */
  value: string;
  names: NameIndex;
  /** `kernel function`, `tracepoint`, `function of /bin/bash`, `USDT probe of /x`. */
  what: string;
  /** Where the names came from, for messages. */
  source: string;
  /** Absence proves nothing (the list is incomplete). */
  partial: boolean;
}

export type SpaceResult = { space: FunctionSpace } | { problem: { part: AttachPart; message: string } } | undefined;

const KPROBES = new Set(["kprobe", "kretprobe"]);
const FENTRY = new Set(["fentry", "fexit"]);
const UPROBES = new Set(["uprobe", "uretprobe"]);

/**
 * The binary a uprobe or usdt attach point names, and the part to report on: its target, or with
 * `-p PID` and no target (`uprobe:func`), the process's executable as bpftrace takes it.
 */
function userspaceBinary(ap: AttachPoint, pid: number | undefined): { text: string; part: AttachPart } | undefined {
  if (ap.target && (ap.targetKind === "path" || ap.targetKind === "library" || ap.targetKind === "proc-exe")) return { text: ap.target.value, part: ap.target };
  if (!ap.target && pid !== undefined && ap.func) return { text: `/proc/${pid}/exe`, part: ap.func };
  return undefined;
}

/**
 * The names an attach point is matched against, or the problem that stops the lookup (a target
 * that is not on this machine), or undefined when nothing can be checked.
 */
export function functionSpace(machine: Machine, ap: AttachPoint, pid?: number): SpaceResult {
  const provider = ap.providerCanonical;
  if (!provider || hasPositional(ap)) return undefined;
  if ((KPROBES.has(provider) || FENTRY.has(provider) || provider === "rawtracepoint") && ap.func) {
    const module = ap.module && !hasWildcard(ap.module.value) ? ap.module : undefined;
    if (module) {
      const modules = machine.kernelModules();
      if (!modules.partial && !modules.names.has(module.value)) {
        return { space: { part: module, value: module.value, names: modules.names, what: "kernel module", source: modules.source, partial: false } };
      }
    }
    const [l, kind] =
      provider === "rawtracepoint"
        ? [machine.rawTracepoints(module?.value), "raw tracepoint"]
        : FENTRY.has(provider)
          ? [machine.btfFunctions(module?.value), "kernel function with BTF"]
          : [machine.kernelFunctions(module?.value), "kernel function"];
    const what = `${kind}${module ? ` of module ${module.value}` : ""}`;
    return { space: { part: ap.func, value: ap.func.value, names: l.names, what, source: l.source, partial: l.partial } };
  }
  if (provider === "tracepoint" && ap.category && ap.func) {
    const l = machine.tracepoints();
    return { space: { part: ap.func, value: `${ap.category.value}:${ap.func.value}`, names: l.names, what: "tracepoint", source: l.source, partial: l.partial } };
  }
  if (provider === "usdt" && !ap.target && pid !== undefined && ap.usdtProbe) return processUsdtSpace(machine, ap, ap.usdtProbe, pid);
  const binary = userspaceBinary(ap, pid);
  if ((UPROBES.has(provider) || provider === "usdt") && binary) {
    const resolved = machine.resolveBinary(binary.text);
    if (!resolved.ok) {
      // `./testprogs/x` is relative to wherever bpftrace will be started: absence here proves nothing.
      if (binary.text.includes("/") && !binary.text.startsWith("/")) return undefined;
      return { problem: { part: binary.part, message: resolved.reason } };
    }
    if (provider === "usdt") {
      const probe = ap.usdtProbe;
      if (!probe) return undefined;
      const r = machine.usdtProbes(resolved.path);
      if (!r.ok) return { problem: { part: binary.part, message: r.reason } };
      const withProvider = ap.usdtProvider !== undefined;
      const names = r.probes.map((p) => (withProvider ? `${p.provider}:${p.name}` : p.name));
      return {
        space: {
          part: probe,
          value: withProvider ? `${ap.usdtProvider!.value}:${probe.value}` : probe.value,
          names: new NameIndex(names),
          what: `USDT probe of ${resolved.path}`,
          source: ".note.stapsdt",
          partial: false,
        },
      };
    }
    if (!ap.func) return undefined;
    const r = machine.binarySymbols(resolved.path);
    if (!r.ok) return { problem: { part: binary.part, message: r.reason } };
    const cpp = ap.language?.value === "cpp";
    // `cpp:"ns::f(int)"` is compared with the parameter list, which the name index leaves out.
    if (cpp && ap.func.value.includes("(")) return undefined;
    return {
      space: {
        part: ap.func,
        value: ap.func.value,
        names: cpp ? r.value.cppNames : r.value.names,
        what: `${cpp ? "C++ function" : "function"} of ${resolved.path}`,
        source: "ELF symbols",
        partial: cpp && r.value.demangleProblem !== undefined,
      },
    };
  }
  return undefined;
}

/**
 * `usdt:PROBE` with `-p PID`: bpftrace looks for the probe in every ELF file the process has mapped
 * (its executable and libraries), so all of them are the names.
 */
function processUsdtSpace(machine: Machine, ap: AttachPoint, probe: AttachPart, pid: number): SpaceResult {
  const files = machine.processFiles(pid);
  if (!files.ok) return { problem: { part: probe, message: files.reason } };
  const withProvider = ap.usdtProvider !== undefined;
  const names: string[] = [];
  for (const path of files.paths) {
    const r = machine.usdtProbes(path);
    // An unreadable library proves nothing about the probe, so the list is then partial.
    if (!r.ok) return undefined;
    for (const p of r.probes) names.push(withProvider ? `${p.provider}:${p.name}` : p.name);
  }
  return {
    space: {
      part: probe,
      value: withProvider ? `${ap.usdtProvider!.value}:${probe.value}` : probe.value,
      names: new NameIndex(names),
      what: `USDT probe of process ${pid}`,
      source: `.note.stapsdt of the ${files.paths.length} ELF files in /proc/${pid}/maps`,
      partial: false,
    },
  };
}

/** Every attach point of the program with what it is matched against here; nothing without a machine. */
export function* attachPointSpaces(ctx: RuleContext): Generator<{ ap: AttachPoint; result: NonNullable<SpaceResult> }> {
  const machine = ctx.machine;
  if (!machine) return;
  for (const p of ctx.model.probes) {
    for (const ap of p.node.attachPoints) {
      const result = functionSpace(machine, ap, ctx.pid);
      if (result) yield { ap, result };
    }
  }
}
