import type * as A from "./ast.ts";
import type { ReleaseChecker } from "./checks.ts";
import { walk } from "./visitor-keys.ts";
import { callRejectedAtParse, configKeyStatus } from "./language/index.ts";

/**
 * Names bpftrace resolves during parsing: call names (before 0.24 its lexer
 * knew every builtin function, so an unknown one is a parse error) and config
 * keys.
 */
export function checkNames(ast: A.Program, c: ReleaseChecker): void {
  const userCallables = new Set<string>();
  for (const item of ast.body) if (item.type === "MacroDef" || item.type === "FnDef") userCallables.add(item.name.name);
  walk(ast, (node) => {
    if (node.type === "Call") {
      const name = node.callee.name;
      if (!userCallables.has(name) && callRejectedAtParse(name, c.target)) {
        c.error(node.callee.range, `Unknown function: ${name} (not in bpftrace ${c.target})`, "semantic");
      }
    } else if (node.type === "ConfigItem") {
      const status = configKeyStatus(node.key.name, c.target);
      if (status.status === "unknown" || status.status === "env-only") c.error(node.key.range, status.message!, "semantic");
      else if (status.status === "renamed" || status.status === "deprecated") c.warning(node.key.range, status.message!, "semantic");
    }
  });
}
