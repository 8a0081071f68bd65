/**
 * Configuration: `.btlintrc.json` or a `"bt-lint"` key in package.json, found upward from each
 * linted file (lilconfig), merged with command-line options (which win).
 */
import { dirname, resolve } from "node:path";
import { lilconfigSync } from "lilconfig";
import { rules } from "../rules/index.ts";
import type { RuleSetting } from "../types.ts";

export interface BtLintConfig {
  /** bpftrace release, or `installed`. */
  target?: string;
  rules?: Record<string, RuleSetting>;
  /** Check the program against this machine (kernel functions, tracepoints, types, binaries). */
  machine?: boolean;
}

export interface ResolvedConfig {
  target: string;
  rules: Record<string, RuleSetting>;
  /** The config file that contributed, if any. */
  configFile?: string;
}

export class ConfigError extends Error {}

const SETTINGS = new Set(["off", "warn", "warning", "error", "info"]);

/** Normalises `warning` to `warn` and validates a rule setting. */
export function parseSetting(value: unknown, where: string): RuleSetting {
  if (typeof value !== "string" || !SETTINGS.has(value)) {
    throw new ConfigError(`${where}: expected one of off, info, warn, error (got ${JSON.stringify(value)})`);
  }
  return (value === "warning" ? "warn" : value) as RuleSetting;
}

export function validateConfig(raw: unknown, file: string): BtLintConfig {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ConfigError(`${file}: the configuration must be a JSON object`);
  const obj = raw as Record<string, unknown>;
  const out: BtLintConfig = {};
  for (const key of Object.keys(obj)) {
    if (key !== "target" && key !== "rules" && key !== "machine" && key !== "$schema") throw new ConfigError(`${file}: unknown key "${key}" (expected "target", "rules", "machine")`);
  }
  if (obj.target !== undefined) {
    if (typeof obj.target !== "string") throw new ConfigError(`${file}: "target" must be a string such as "0.21" or "installed"`);
    out.target = obj.target;
  }
  if (obj.machine !== undefined) {
    if (typeof obj.machine !== "boolean") throw new ConfigError(`${file}: "machine" must be true or false`);
    out.machine = obj.machine;
  }
  if (obj.rules !== undefined) {
    if (obj.rules === null || typeof obj.rules !== "object" || Array.isArray(obj.rules)) throw new ConfigError(`${file}: "rules" must be an object of rule id → severity`);
    out.rules = {};
    for (const [id, v] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (!(id in rules)) throw new ConfigError(`${file}: unknown rule "${id}" in "rules"`);
      out.rules[id] = parseSetting(v, `${file}: rules.${id}`);
    }
  }
  return out;
}

function readJson(filepath: string, content: string): unknown {
  try {
    return JSON.parse(content.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new Error(`${filepath}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Finds the configuration for a file (cached per directory for the life of the resolver; make a
 * new resolver to see changes).
 */
export function createConfigResolver(): (filePath: string | undefined) => { config: BtLintConfig; file?: string } {
  const explorer = lilconfigSync("bt-lint", {
    searchPlaces: [".btlintrc.json", "package.json"],
    stopDir: "/",
    // lilconfig's default `.json` loader is require(), whose module cache would keep the first
    // version of a file for the life of the process (the language server's); read it each time.
    loaders: { ".json": readJson },
  });
  const cache = new Map<string, { config: BtLintConfig; file?: string }>();
  return (filePath) => {
    const dir = filePath ? dirname(resolve(filePath)) : process.cwd();
    const hit = cache.get(dir);
    if (hit) return hit;
    let result;
    try {
      result = explorer.search(dir);
    } catch (err) {
      throw new ConfigError(`cannot read configuration near ${dir}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const value = result && !result.isEmpty ? { config: validateConfig(result.config, result.filepath), file: result.filepath } : { config: {} };
    cache.set(dir, value);
    return value;
  };
}

/** Every rule with its effective setting. */
export function effectiveRules(overrides: Record<string, RuleSetting> | undefined): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const [id, r] of Object.entries(rules)) {
    const d = r.meta.defaultSeverity;
    out[id] = overrides?.[id] ?? (d === "warning" ? "warn" : d);
  }
  return out;
}
