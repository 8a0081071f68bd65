/**
 * The linter's only door to language facts (builtins, functions, probe types, config keys):
 * everything comes from @bt/parser's `language` module, which loads grammar/data/*.json.
 * Rules ask these helpers; `undefined` means "no data: do not flag".
 */
import type { Kind } from "./semantic/types.ts";

export interface FunctionFacts {
  name: string;
  minArgs?: number;
  maxArgs?: number;
  since?: string;
  deprecated?: string;
  removed?: string;
  /** Aggregation: only valid as the value of a map assignment. */
  aggregation: boolean;
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
}

export interface ProbeFacts {
  canonical: string;
  since?: string;
  removed?: string;
  aliases: string[];
  /** return-probe types (`retval` valid) */
  isReturn?: boolean;
}

export interface ConfigFacts {
  name: string;
  since?: string;
  removed?: string;
  renamedTo?: string;
  renamedIn?: string;
}

export function functionFacts(_name: string): FunctionFacts | undefined {
  return undefined;
}
export function builtinFacts(_name: string): BuiltinFacts | undefined {
  return undefined;
}
export function probeFacts(_provider: string): ProbeFacts | undefined {
  return undefined;
}
export function configFacts(_name: string): ConfigFacts | undefined {
  return undefined;
}
/** Whether the language data is loaded at all (tests that need it skip otherwise). */
export const languageDataAvailable = false;
