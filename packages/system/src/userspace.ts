/**
 * What an ELF binary offers uprobes and USDT: function symbols (C++ names demangled), USDT
 * probes, and DWARF parameters. Everything is cached by file identity (device, inode, mtime, size).
 */
import { demangle } from "./demangle.ts";
import { readDwarf, type DwarfFunction, type DwarfInfo } from "./dwarf.ts";
import { readFunctionSymbols, type ElfSymbol } from "./elf.ts";
import { FileCache } from "./file-identity.ts";
import { NameIndex } from "./names.ts";
import { readUsdtProbes, type UsdtProbe } from "./usdt.ts";

export interface BinarySymbol extends ElfSymbol {
  /** Demangled C++ name with its parameter list (`AddressBook::AddContact(std::…&, int)`). */
  demangled?: string;
}

export interface BinarySymbols {
  path: string;
  symbols: BinarySymbol[];
  /** Names as stored: what `uprobe:BIN:NAME` matches. */
  names: NameIndex;
  /** Demangled names without parameter lists: what `uprobe:BIN:cpp:NAME` matches. */
  cppNames: NameIndex;
  /** Set when C++ names could not be demangled (c++filt missing). */
  demangleProblem?: string;
}

export type Outcome<T> = ({ ok: true } & T) | { ok: false; reason: string };

/** `ns::f(int, char const*) const` → `ns::f`; names without a parameter list are kept. */
export function withoutParameters(demangled: string): string {
  const trimmed = demangled.replace(/\s+(const|volatile|&&|&)$/g, "");
  if (!trimmed.endsWith(")")) return demangled;
  let depth = 0;
  for (let i = trimmed.length - 1; i >= 0; i--) {
    const c = trimmed[i];
    if (c === ")") depth++;
    else if (c === "(") {
      depth--;
      if (depth === 0) return trimmed.slice(0, i);
    }
  }
  return demangled;
}

function errorText(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

export class Userspace {
  private readonly symbolCache = new FileCache<Outcome<{ value: BinarySymbols }>>();
  private readonly usdtCache = new FileCache<Outcome<{ probes: UsdtProbe[] }>>();
  private readonly dwarfCache = new FileCache<Outcome<{ info: DwarfInfo }>>();

  binarySymbols(path: string): Outcome<{ value: BinarySymbols }> {
    return (
      this.symbolCache.get(path, (p) => {
        try {
          const raw = readFunctionSymbols(p);
          const d = demangle(raw.map((s) => s.name));
          const symbols: BinarySymbol[] = raw.map((s) => {
            const dm = d.ok ? d.names.get(s.name) : undefined;
            return dm ? { ...s, demangled: dm } : s;
          });
          const names = new NameIndex(symbols.map((s) => s.name));
          const cppNames = symbols.map((s) => withoutParameters(s.demangled ?? s.name));
          const value: BinarySymbols = {
            path: p,
            symbols,
            names,
            // A C binary's names are its C++ names: one index for both.
            cppNames: cppNames.every((n, i) => n === symbols[i].name) ? names : new NameIndex(cppNames),
            ...(d.ok ? {} : { demangleProblem: d.reason }),
          };
          return { ok: true as const, value };
        } catch (err) {
          return { ok: false as const, reason: `${p}: ${errorText(err)}` };
        }
      }) ?? { ok: false, reason: `${path}: no such file` }
    );
  }

  usdtProbes(path: string): Outcome<{ probes: UsdtProbe[] }> {
    return (
      this.usdtCache.get(path, (p) => {
        try {
          return { ok: true as const, probes: readUsdtProbes(p) };
        } catch (err) {
          return { ok: false as const, reason: `${p}: ${errorText(err)}` };
        }
      }) ?? { ok: false, reason: `${path}: no such file` }
    );
  }

  /**
   * Parameters of a function from the binary's DWARF (`args.NAME` of a uprobe): `symbol` may be
   * the stored (mangled) name, a C name or a qualified C++ name.
   */
  functionParameters(path: string, symbol: string): Outcome<{ function: DwarfFunction }> {
    const dwarf = this.dwarfCache.get(path, (p) => readDwarf(p)) ?? { ok: false, reason: `${path}: no such file` };
    if (!dwarf.ok) return dwarf;
    const f = dwarf.info.findFunction(symbol);
    return f ? { ok: true, function: f } : { ok: false, reason: `no DWARF entry for \`${symbol}\` in ${path}` };
  }
}
