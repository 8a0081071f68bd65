export { Btf, BtfFormatError, Kind, type BtfFunction, type BtfMember, type BtfParam } from "./btf.ts";
export { fileIdentity, FileCache } from "./file-identity.ts";
export { Kernel, DEFAULT_KERNEL_PATHS, type KernelPaths, type KernelFunctions, type KernelFunctionSignature, type KernelType, type StructField, type Tracepoints } from "./kernel.ts";
export { NameIndex, closestNames, editDistance, hasWildcard, wildcardToRegExp } from "./names.ts";
export { parseTracepointFormat, type TracepointField } from "./tracefs.ts";
