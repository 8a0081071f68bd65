export { createMachine, machineFromFacts, type Machine, type MachineFacts, type MachineOptions, type NameList } from "./machine.ts";
export { Btf, BtfFormatError, Kind, type BtfFunction, type BtfMember, type BtfParam } from "./btf.ts";
export { fileIdentity, FileCache } from "./file-identity.ts";
export {
  Kernel,
  DEFAULT_KERNEL_PATHS,
  signatureText,
  type KernelPaths,
  type KernelFunctions,
  type KernelFunctionSignature,
  type KernelParameter,
  type KernelType,
  type StructField,
  type Tracepoints,
  type RawTracepoints,
} from "./kernel.ts";
export { probeParameters, type ProbeParameter, type ProbeParameters, type ProbeSite } from "./probe-parameters.ts";
export { NameIndex, closestNames, editDistance, hasWildcard, wildcardToRegExp } from "./names.ts";
export { parseTracepointFormat, type TracepointField } from "./tracefs.ts";
export { readElf, readFunctionSymbols, readNotes, isElf, ElfFormatError, type ElfFile, type ElfSection, type ElfSymbol, type ElfNote } from "./elf.ts";
export { mappedFiles } from "./process.ts";
export { readUsdtProbes, type UsdtProbe } from "./usdt.ts";
export { demangle } from "./demangle.ts";
export { readDwarf, DwarfInfo, type DwarfFunction, type DwarfParameter } from "./dwarf.ts";
export { resolveTarget, whichSo, parseLdSoCache, ldSoCacheEntries, type ResolvedTarget, type ResolveOptions, type LdCacheEntry } from "./libraries.ts";
export { Userspace, withoutParameters, type BinarySymbol, type BinarySymbols, type Outcome } from "./userspace.ts";
