import type { Node } from "@bt/parser";
import { compareReleases, language, walk } from "@bt/parser";
import { createRule } from "../rule.ts";

/** Unstable features and the config keys that gate them, from the language data (config.json `default`/`feature`). */
function gatedFeatures(target: string) {
  return language.CONFIG_KEYS.filter(
    (k) =>
      k.kind === "unstable" &&
      k.feature &&
      k.default &&
      (!k.since || compareReleases(target, k.since) >= 0) &&
      (!k.deprecated || compareReleases(target, k.deprecated) < 0),
  );
}

function featureUse(node: Node, feature: NonNullable<language.ConfigKeyInfo["feature"]>, parent: Node | undefined): boolean {
  if (feature.call && node.type === "Call" && node.callee.name === feature.call) return true;
  if (feature.keyword === "typeinfo" && node.type === "TypeinfoExpression") return true;
  if (feature.builtin && (node.type === "Builtin" || node.type === "Identifier") && node.name === feature.builtin) return parent?.type !== "Call";
  if (feature.builtin && node.type === "Call" && node.callee.name === feature.builtin) return true;
  if (feature.statement === "import" && node.type === "Import") return parent?.type === "Block";
  return false;
}

export default createRule({
  meta: {
    id: "unstable-feature",
    description: "Unstable features (`tseries()`, `typeinfo()`, `dw_ustack`, statement-level `import`) warn or fail unless the script enables them in its config block.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      disabled: "`{{feature}}` is an unstable feature that bpftrace {{target}} refuses by default. Enable it with `config = { {{key}} = enable }`.",
      warns: "`{{feature}}` is an unstable feature: bpftrace {{target}} warns when it is used. Add `config = { {{key}} = enable }` to use it deliberately.",
    },
  },
  check(ctx) {
    const settings = new Map<string, string>();
    for (const t of ctx.ast.body) {
      if (t.type !== "ConfigBlock") continue;
      for (const item of t.items) {
        const value = item.value.type === "Identifier" || item.value.type === "Builtin" ? item.value.name : item.value.type === "StringLiteral" ? item.value.value : undefined;
        if (value) settings.set(language.normalizeConfigKey(item.key.name), value.toLowerCase());
      }
    }
    for (const key of gatedFeatures(ctx.target)) {
      const mode = settings.get(key.name) ?? key.default;
      if (mode !== "warn" && mode !== "error") continue;
      const feature = key.feature!;
      const name = feature.call ?? feature.keyword ?? feature.builtin ?? `${feature.statement} statement`;
      let reported = false;
      walk(ctx.ast, (node, parent) => {
        if (reported && mode === "warn") return false; // bpftrace warns once per script
        // A macro's body is checked where it is expanded, which bt-lint does not do (the standard library's macros use these features).
        if (node.type === "MacroDef") return false;
        if (!featureUse(node, feature, parent)) return;
        ctx.report({
          messageId: mode === "error" ? "disabled" : "warns",
          data: { feature: name, key: key.name, target: ctx.target },
          range: node.range,
          severity: mode === "error" ? "error" : "warning",
        });
        reported = true;
      });
    }
  },
});
