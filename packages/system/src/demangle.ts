/**
 * C++ (Itanium ABI) demangling through binutils' `c++filt`, one process per batch of names. No npm
 * demangler is both maintained and complete (the wasm ones trail the ABI); c++filt is what
 * `nm -C` and `readelf -C` use, and binutils is needed for DWARF anyway.
 */
import { runTool } from "./tool.ts";

export type DemangleResult = { ok: true; names: Map<string, string> } | { ok: false; reason: string };

/** Mangled name → demangled name, for the names that are mangled (`_Z…`). */
export function demangle(names: Iterable<string>): DemangleResult {
  const mangled = [...new Set([...names].filter((n) => n.startsWith("_Z") && !/[\s]/.test(n)))];
  const out = new Map<string, string>();
  if (mangled.length === 0) return { ok: true, names: out };
  const r = runTool("c++filt", [], { input: mangled.join("\n") + "\n" });
  if (!r.ok) return r;
  const lines = r.stdout.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines.length !== mangled.length) return { ok: false, reason: `c++filt answered ${lines.length} lines for ${mangled.length} names` };
  mangled.forEach((m, i) => {
    if (lines[i] !== m) out.set(m, lines[i]);
  });
  return { ok: true, names: out };
}
