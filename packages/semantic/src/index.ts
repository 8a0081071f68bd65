/**
 * @bt/semantic: what a bpftrace program means. The semantic model (probes, maps, scratch
 * variables with bpftrace's scoping, parent links) and the type checker (a bpftrace type for every
 * expression and what bpftrace's type checker refuses or warns about). Facts about the language
 * come from @bt/parser's language data; facts from the kernel or a binary come through a
 * TypeSource (none by default: such types are unknown and never produce a problem).
 *
 * For editors: `buildModel(ast, target)` once per parse, then `model.types.typeOf(expr)` and
 * `typeName(...)` for hover, `model.symbolOf($x)` / `model.maps` for symbols and references.
 */
export { buildModel } from "./model.ts";
export type { MapSymbol, MapUse, MapUseKind, Owner, ProbeInfo, Scope, SemanticModel, VariableProblem, VariableSymbol } from "./model.ts";
export type { ProbeContext } from "./probe-context.ts";
export { checkTypes } from "./type-checker.ts";
export type { TypeCheckResult, TypeProblem, TypeProblemCode } from "./type-checker.ts";
export { NO_TYPE_SOURCE, withRun } from "./type-source.ts";
export type { RunFacts, TypeSource } from "./type-source.ts";
export { assignable, describeType, typeName, UNKNOWN } from "./type-system.ts";
export type { BtType } from "./type-system.ts";
export { kindOfType } from "./types.ts";
export type { Kind } from "./types.ts";
export { builtinFacts, configFacts, functionFacts, knownCall, probeFacts } from "./facts.ts";
export type { BuiltinFacts, ConfigFacts, FunctionFacts, ProbeFacts } from "./facts.ts";
