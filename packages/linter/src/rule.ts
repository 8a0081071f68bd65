import type { RuleMeta, RuleModule, RuleContext } from "./types.ts";

/**
 * Where the rule pages live. The docs URL of a rule is derived from its id (typescript-eslint's
 * RuleCreator pattern), so a rule never spells its own URL.
 */
export const DOCS_BASE_URL = "https://github.com/bt-toolkit/bt/blob/main/docs/rules/";

export function docsUrlFor(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}

export function createRule(def: {
  meta: Omit<RuleMeta, "docsUrl">;
  check(context: RuleContext): void;
}): RuleModule {
  return { meta: { ...def.meta, docsUrl: docsUrlFor(def.meta.id) }, check: def.check };
}

/** `Hello {{name}}` with data {name: "x"} → `Hello x`. */
export function formatMessage(template: string, data?: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, key: string) =>
    data && key in data ? String(data[key]) : m,
  );
}
