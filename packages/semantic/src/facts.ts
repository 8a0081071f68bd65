/**
 * The only door of the semantic model and bt-lint to language facts (builtins, functions, probe types, config keys):
 * everything comes from @bt/parser's `language` module, which loads grammar/data/*.json.
 * Rules ask these helpers; `undefined` means "no data: do not flag".
 */
import { language } from "@bt/parser";
import type { Kind } from "./types.ts";

export interface FunctionFacts {
  name: string;
  minArgs?: number;
  maxArgs?: number;
  since?: string;
  deprecated?: string;
  removed?: string;
  /** Aggregation: only valid as the value of a map assignment. */
  aggregation: boolean;
  /** For an aggregation: the kind its map reads as (`@x = @count_map` copies an int), when it reads as one. */
  readsAs?: Kind;
  returns?: Kind;
  /** Canonical probe providers the function is restricted to, when it is. */
  probes?: string[];
}

export interface BuiltinFacts {
  name: string;
  kind?: Kind;
  since?: string;
  deprecated?: string;
  removed?: string;
  probes?: string[];
  notProbes?: string[];
}

export interface ProbeFacts {
  canonical: string;
  since?: string;
  removed?: string;
}

export interface ConfigFacts {
  name: string;
  since?: string;
  deprecated?: string;
  removed?: string;
  renamedTo?: string;
  renamedIn?: string;
}

const KIND: Record<string, Kind> = {
  integer: "int",
  int: "int",
  timestamp: "int",
  bool: "bool",
  string: "string",
  pointer: "pointer",
  stack: "stack",
  symbol: "symbol",
  record: "record",
  buffer: "buffer",
  inet: "inet",
  aggregation: "aggregation",
  void: "none",
};

function kindOf(t: language.LightType | string): Kind {
  return KIND[t] ?? "unknown";
}

/** Per-target caches of the lookups below (they scan the language data); the facts are shared: do not mutate them. */
const MAX_CACHED_NAMES = 4096;
const functionCache = new Map<string | undefined, Map<string, Readonly<FunctionFacts> | undefined>>();
const builtinCache = new Map<string | undefined, Map<string, Readonly<BuiltinFacts> | undefined>>();

function cached<T>(
  cache: Map<string | undefined, Map<string, T | undefined>>,
  name: string,
  target: string | undefined,
  compute: () => T | undefined,
): T | undefined {
  let forTarget = cache.get(target);
  if (forTarget === undefined) cache.set(target, (forTarget = new Map()));
  if (forTarget.has(name)) return forTarget.get(name);
  const value = compute();
  if (forTarget.size < MAX_CACHED_NAMES) forTarget.set(name, value);
  return value;
}

/** Function facts; with `target`, argument counts are those of that release's signatures. */
export function functionFacts(name: string, target?: string): Readonly<FunctionFacts> | undefined {
  return cached(functionCache, name, target, () => computeFunctionFacts(name, target));
}

function computeFunctionFacts(name: string, target?: string): FunctionFacts | undefined {
  const f = language.findFunction(name);
  if (!f) return undefined;
  const sigs = target ? language.functionSignatureFor(name, target) : f.signatures;
  return {
    name,
    since: f.since,
    deprecated: f.deprecated,
    removed: f.removed,
    aggregation: f.aggregation === true,
    ...(f.readsAs ? { readsAs: kindOf(f.readsAs) } : {}),
    // A timestamp (`strftime()`) prints as text: a symbol, not an int.
    returns: f.returns === "timestamp" ? "symbol" : kindOf(f.returns),
    probes: f.probes,
    ...(sigs.length > 0 ? { minArgs: Math.min(...sigs.map((s) => s.minArgs)), maxArgs: Math.max(...sigs.map((s) => s.maxArgs)) } : {}),
  };
}

export function builtinFacts(name: string, target?: string): Readonly<BuiltinFacts> | undefined {
  return cached(builtinCache, name, target, () => computeBuiltinFacts(name, target));
}

function computeBuiltinFacts(name: string, target?: string): BuiltinFacts | undefined {
  const b = language.findBuiltin(name, target);
  if (!b) return undefined;
  return { name: b.name, kind: kindOf(b.type), since: b.since, deprecated: b.deprecated, removed: b.removed, probes: b.probes, notProbes: b.notProbes };
}

export function probeFacts(spelling: string): ProbeFacts | undefined {
  const m = language.findProbe(spelling);
  return m ? { canonical: m.probe.name, since: m.probe.since, removed: m.probe.removed } : undefined;
}

export function configFacts(name: string): ConfigFacts | undefined {
  const c = language.findConfigKey(name);
  return c ? { name: c.name, since: c.since, deprecated: c.deprecated, removed: c.removed, renamedTo: c.renamedTo, renamedIn: c.renamedIn } : undefined;
}

/** Whether `name(...)` is a builtin function or call-style builtin of `target`. */
export function knownCall(name: string, target: string): boolean {
  return language.isKnownCallName(name, target);
}

