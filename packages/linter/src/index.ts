export { lintText, resolveTarget, UsageError } from "./lint.ts";
export { applyFixes } from "./fix.ts";
export { machineTypeSource } from "./machine-type-source.ts";
export { rules } from "./rules/index.ts";
export { DOCS_BASE_URL, docsUrlFor } from "./rule.ts";
// The semantic model lives in @bt/semantic; re-exported for existing users of @bt/linter.
export { buildModel } from "@bt/semantic";
export type { SemanticModel, MapSymbol, MapUse, VariableSymbol, ProbeInfo, Kind } from "@bt/semantic";
export type {
  Finding,
  Fix,
  FixEdit,
  LintOptions,
  LintResult,
  RuleMeta,
  RuleModule,
  RuleContext,
  RuleSetting,
  Severity,
} from "./types.ts";
export { ConfigError, createConfigResolver, type BtLintConfig } from "./cli/config.ts";
