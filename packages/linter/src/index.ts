export { lintText, resolveTarget, UsageError } from "./lint.ts";
export { applyFixes } from "./fix.ts";
export { rules } from "./rules/index.ts";
export { DOCS_BASE_URL, docsUrlFor } from "./rule.ts";
export { buildModel } from "./semantic/model.ts";
export type { SemanticModel, MapSymbol, MapUse, VariableSymbol, ProbeInfo, Kind } from "./semantic/model.ts";
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
