import type * as A from "./ast.ts";
import type { ReleaseChecker } from "./checks.ts";
import { callRejectedAtParse, configKeyStatus } from "./language/index.ts";
import { availableIn } from "./versions.ts";

const rejectedCalls = new Map<string, Map<string, boolean>>();

/** Whether `name(...)` is an unknown function at parse level in `target` (cached: the lookup scans the language data). */
function callRejected(name: string, target: string): boolean {
  let forTarget = rejectedCalls.get(target);
  if (forTarget === undefined) rejectedCalls.set(target, (forTarget = new Map()));
  let rejected = forTarget.get(name);
  if (rejected === undefined) {
    rejected = callRejectedAtParse(name, target);
    if (forTarget.size < 4096) forTarget.set(name, rejected);
  }
  return rejected;
}

/**
 * Names bpftrace resolves during parsing: call names (before 0.24 its lexer
 * knew every builtin function, so an unknown one is a parse error) and config
 * keys.
 */
export class NameChecker {
  private readonly userCallables = new Set<string>();

  constructor(ast: A.Program, private readonly c: ReleaseChecker) {
    for (const item of ast.body) if (item.type === "MacroDef" || item.type === "FnDef") this.userCallables.add(item.name.name);
  }

  call(node: A.Call): void {
    const name = node.callee.name;
    if (!this.userCallables.has(name) && callRejected(name, this.c.target)) {
      this.c.error(node.callee.range, `Unknown function: ${name} (not in bpftrace ${this.c.target})`, "semantic");
    }
  }

  configItem(node: A.ConfigItem): void {
    const status = configKeyStatus(node.key.name, this.c.target);
    if (status.status === "unknown" || status.status === "env-only") this.c.error(node.key.range, status.message!, "semantic");
    else if (status.status === "renamed" || status.status === "deprecated") this.c.warning(node.key.range, status.message!, "semantic");
    const entry = status.entry;
    const value = node.value.type === "StringLiteral" ? node.value.value : node.value.type === "Identifier" ? node.value.name : undefined;
    if (status.status === "ok" && entry?.values && entry.valuesEnforcedSince && value !== undefined && availableIn(this.c.target, entry.valuesEnforcedSince) && !entry.values.includes(value)) {
      this.c.error(node.value.range, `Invalid value for ${entry.name}. Found: ${value}. Valid values: ${entry.values.join(", ")}`, "semantic");
    }
  }
}
