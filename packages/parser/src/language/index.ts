/**
 * bpftrace language facts (probes, builtins, functions, config keys, types, map kinds, releases),
 * loaded from grammar/data/*.json. This module only adds types and small pure lookups; the facts
 * themselves live in the JSON files (see grammar/data/README.md).
 */
import releasesJson from "../../../../grammar/data/releases.json" with { type: "json" };
import probesJson from "../../../../grammar/data/probes.json" with { type: "json" };
import builtinsJson from "../../../../grammar/data/builtins.json" with { type: "json" };
import functionsJson from "../../../../grammar/data/functions.json" with { type: "json" };
import configJson from "../../../../grammar/data/config.json" with { type: "json" };
import typesJson from "../../../../grammar/data/types.json" with { type: "json" };
import mapsJson from "../../../../grammar/data/maps.json" with { type: "json" };
import { availableIn, compareReleases, type Release } from "../versions.ts";

// ------------------------------------------------------------------------------------------ types

/** Release range shared by most entries: `since` = first release with it, `removed` = first without. */
export interface Versioned {
  since?: string;
  deprecated?: string;
  removed?: string;
}

export interface ReleaseInfo {
  version: string;
  date: string;
  doc: string;
}

export type ProbeKind = "kernel" | "user" | "special";

export interface ProbeSpelling {
  /** Exact spelling (`BEGIN`, `kfunc`). */
  text: string;
  since?: string;
  removed?: string;
  /** The spelling stopped being the canonical name in this release (it stays accepted). */
  canonicalUntil?: string;
}

export interface ProbeAlias {
  text: string;
  since?: string;
  removed?: string;
}

export interface ProbeForm {
  /** Attach-point syntax after `provider:` (empty for begin/end). */
  syntax: string;
  /** Number of `:`-separated parts after the provider (`@` of source locations counts as a part). */
  parts: number;
  since?: string;
  removed?: string;
  /** Only with `-p PID`. */
  requiresPid?: boolean;
  /** Only valid when the part contains a wildcard. */
  wildcardOnly?: boolean;
  /** `BIN@FILE:LINE[:COL]` form. */
  sourceLocation?: boolean;
  doc: string;
}

export interface ProbePartCount {
  since?: string;
  removed?: string;
  /** Part counts (after the provider) accepted by the attach-point parser in this range. */
  accepted: number[];
  /** The `<expected>` text of `<provider> probe type requires <expected> arguments`. */
  expected: string;
}

export interface ProbeInfo {
  /** Canonical name at the latest release (`fentry`, `begin`). */
  name: string;
  kind: ProbeKind;
  since?: string;
  removed?: string;
  isReturn: boolean;
  /** Canonical spellings over time; absent means just `name` for the probe's whole life. */
  spellings?: ProbeSpelling[];
  aliases?: ProbeAlias[];
  caseInsensitiveName?: boolean;
  forms: ProbeForm[];
  partCounts: ProbePartCount[];
  doc: string;
}

export interface PerfEventInfo {
  name: string;
  alias?: string;
  defaultCount: number;
  doc: string;
}

export interface NamedDoc {
  name: string;
  since?: string;
  doc: string;
}

export type LightType =
  | "integer"
  | "string"
  | "pointer"
  | "stack"
  | "struct"
  | "timestamp"
  | "bool"
  | "symbol"
  | "record"
  | "any";

export type ArgKind =
  | "format"
  | "int"
  | "string"
  | "pointer"
  | "map"
  | "mapKey"
  | "variable"
  | "any"
  | "ident"
  | "type";

export interface ArgSpec {
  name: string;
  kind: ArgKind;
  optional?: boolean;
  variadic?: boolean;
  /** Allowed bare words for `ident` arguments (stack modes, clock names...). */
  values?: string[];
  since?: string;
  /** The value types bpftrace's type checker takes here (checked only where listed). */
  accepts?: ("integer" | "pointer" | "string" | "array" | "struct")[];
  /** Must be a literal (`kaddr("sym")`, `strncmp(a, b, 4)`). */
  literal?: boolean;
  /** A literal below this is refused (`str(p, -1)`). */
  min?: number;
  /** A map given here must be one used with keys (`has_key(@m, k)`, `len(@m)`). */
  keyedMap?: boolean;
  /** This argument is a key of the map given as argument number `keyOf` (`has_key(@m, k)`). */
  keyOf?: number;
}

export interface CallSpec {
  /** First release with call syntax (absent = all releases). */
  since?: string;
  minArgs: number;
  maxArgs: number;
  args?: ArgSpec[];
  doc?: string;
}

export interface BuiltinPattern {
  pattern: string;
  since?: string;
  removed?: string;
}

export interface BuiltinInfo extends Versioned {
  /** Name, or a family name (`argN`, `sargN`, `$N`). */
  name: string;
  type: LightType;
  doc: string;
  /** A `Builtin` AST node in the 0.26+ parser (not an Identifier). */
  parserBuiltin?: boolean;
  /** Reads the probe context, which a `for` loop body does not get. */
  notInForLoop?: boolean;
  /** Integer builtins: bpftrace 0.27's exact integer type (`uint32`, `uint64`, `int32`, …). */
  intType?: string;
  /** Regex for families, matched on the full name. */
  pattern?: string;
  patterns?: BuiltinPattern[];
  positional?: boolean;
  /** Canonical providers where the builtin is valid (absent = every probe). */
  probes?: string[];
  /** Providers where it is not valid. */
  notProbes?: string[];
  call?: CallSpec;
}

export interface FunctionSignature {
  minArgs: number;
  maxArgs: number;
  args: ArgSpec[];
  since?: string;
  deprecated?: string;
  removed?: string;
  doc?: string;
}

export interface FunctionInfo extends Versioned {
  name: string;
  /** Light return kind (`void`, `int`, `string`, `aggregation`, ...). */
  returns: string;
  doc: string;
  signatures: FunctionSignature[];
  async?: boolean;
  unsafe?: boolean;
  compileTime?: boolean;
  /** Map-value function: only valid as `@m = f(...)`. */
  aggregation?: boolean;
  /** Aggregation whose map reads as a plain value of this kind (`@x = @count_map`). */
  readsAs?: string;
  /** Parsed as a keyword (`sizeof`, `offsetof`, `typeof`, `typeinfo`). */
  keyword?: boolean;
  probes?: string[];
}

export type ConfigValueKind = "int" | "bool" | "string" | "enum" | "unstable";

export interface ConfigKeyInfo extends Versioned {
  /** Unstable keys: bpftrace's behaviour when the script does not set the key. */
  default?: "warn" | "error" | "enable";
  /** Unstable keys: the feature the key gates. */
  feature?: { call?: string; keyword?: string; builtin?: string; statement?: string };
  name: string;
  kind: ConfigValueKind;
  doc: string;
  values?: string[];
  /** First release that rejects a value outside `values`. */
  valuesEnforcedSince?: string;
  /** Old spelling: the key was renamed to this one. */
  renamedTo?: string;
  renamedIn?: string;
  /** Only settable as an environment variable `BPFTRACE_<KEY>`. */
  envOnly?: boolean;
}

export interface ConfigMessages {
  since?: string;
  removed?: string;
  unknown: string;
  envOnly: string;
  renamed: string;
  deprecated?: string;
}

export interface TypeInfo extends Versioned {
  name: string;
  kind: "integer" | "bool" | "void" | "sized" | "builtin" | "aggregation";
  doc: string;
  renamedTo?: string;
  /** Overrides since/removed when availability has gaps. */
  availability?: { since?: string; removed?: string }[];
}

export interface MapKindInfo {
  name: string;
  since: string;
  doc: string;
  /** Holds one value per CPU: the kind aggregations need, and only they. */
  perCpu?: boolean;
  /** The same kind with the other `perCpu` (hash ↔ percpuhash). */
  sameKindPerCpu?: string;
}

// ------------------------------------------------------------------------------------------ data

export const RELEASE_INFO: readonly ReleaseInfo[] = releasesJson.releases;
export const PROBES: readonly ProbeInfo[] = probesJson.probes as ProbeInfo[];
export const SOFTWARE_EVENTS: readonly PerfEventInfo[] = probesJson.softwareEvents;
export const HARDWARE_EVENTS: readonly PerfEventInfo[] = probesJson.hardwareEvents;
export const FREQUENCY_UNITS: readonly NamedDoc[] = probesJson.frequencyUnits;
export const DURATION_SUFFIXES: readonly string[] = probesJson.durationSuffixes.values;
export const WATCHPOINT_MODES: readonly string[] = probesJson.watchpointModes;
export const UPROBE_LANGUAGES: readonly NamedDoc[] = probesJson.uprobeLanguages;
export const BUILTINS: readonly BuiltinInfo[] = builtinsJson.builtins as BuiltinInfo[];
export const INTERNAL_PARSER_BUILTINS: readonly string[] = builtinsJson.internalParserBuiltins;
export const FUNCTIONS: readonly FunctionInfo[] = functionsJson.functions as FunctionInfo[];
export const CONFIG_KEYS: readonly ConfigKeyInfo[] = configJson.keys as ConfigKeyInfo[];
export const TYPES: readonly TypeInfo[] = typesJson.types as TypeInfo[];
export const MAP_KINDS: readonly MapKindInfo[] = mapsJson.kinds;

/** Since this release canonical provider names are matched case-insensitively. */
export const PROBE_CASE_INSENSITIVE_SINCE = probesJson.caseInsensitiveSince;
/** Until (excluding) this release unknown call names are parse errors (`Unknown function: X`). */
export const PARSE_TIME_CALL_CHECK_UNTIL = functionsJson.parseTimeCallCheckUntil;
export const CONFIG_SINCE = configJson.since;
export const MAP_DECL_SINCE = mapsJson.since;

const before = (release: string, limit: string | undefined): boolean =>
  limit !== undefined && compareReleases(release, limit) < 0;

// ------------------------------------------------------------------------------------------ probes

export interface ProbeMatch {
  probe: ProbeInfo;
  /** How the spelling matched. */
  via: "name" | "alias";
  /** Whether it matched only case-insensitively (valid since 0.24 for names). */
  caseFolded: boolean;
}

function probeSpellings(p: ProbeInfo): ProbeSpelling[] {
  return p.spellings ?? [{ text: p.name }];
}

/**
 * Find the provider for a spelling, as written before the first `:`: exact canonical names and
 * aliases (`kr`, `U`, `kfunc`, `BEGIN`), then canonical names case-insensitively (`KPROBE`,
 * `Begin`). Aliases are case-sensitive (`u` = uprobe, `U` = usdt). Ignores releases; see
 * `probeAvailable`.
 */
export function findProbe(spelling: string): ProbeMatch | undefined {
  // Every attach point asks, with a handful of distinct spellings per program.
  if (probeMatches.has(spelling)) return probeMatches.get(spelling);
  const match = searchProbe(spelling);
  if (probeMatches.size < 1024) probeMatches.set(spelling, match);
  return match;
}

const probeMatches = new Map<string, ProbeMatch | undefined>();

function searchProbe(spelling: string): ProbeMatch | undefined {
  for (const probe of PROBES) {
    if (probeSpellings(probe).some((s) => s.text === spelling)) return { probe, via: "name", caseFolded: false };
  }
  for (const probe of PROBES) {
    if (probe.aliases?.some((a) => a.text === spelling)) return { probe, via: "alias", caseFolded: false };
  }
  const lower = spelling.toLowerCase();
  for (const probe of PROBES) {
    if (probeSpellings(probe).some((s) => s.text.toLowerCase() === lower)) return { probe, via: "name", caseFolded: true };
  }
  return undefined;
}

/** Whether a provider spelling is accepted by `release` (per-spelling, e.g. `begin` needs 0.24). */
export function probeAvailable(spelling: string, release: string): boolean {
  const m = findProbe(spelling);
  if (!m) return false;
  const { probe } = m;
  if (!availableIn(release, probe.since, probe.removed)) return false;
  if (m.via === "alias") {
    const alias = probe.aliases!.find((a) => a.text === spelling)!;
    return availableIn(release, alias.since, alias.removed);
  }
  const spellings = probeSpellings(probe);
  if (!m.caseFolded) {
    const s = spellings.find((x) => x.text === spelling)!;
    return availableIn(release, s.since, s.removed);
  }
  // Case-folded: only since 0.24, and only if some spelling with that lowercase form exists then.
  if (before(release, PROBE_CASE_INSENSITIVE_SINCE)) return false;
  const lower = spelling.toLowerCase();
  return spellings.some((s) => s.text.toLowerCase() === lower && availableIn(release, s.since, s.removed));
}

/** The canonical provider name bpftrace uses in `release` (`kfunc` in 0.21, `fentry` in 0.22). */
export function canonicalProbeName(probe: ProbeInfo, release: string): string {
  for (const s of probeSpellings(probe)) {
    if (availableIn(release, s.since, s.removed) && (s.canonicalUntil === undefined || before(release, s.canonicalUntil))) {
      return s.text;
    }
  }
  return probe.name;
}

/** Attach-point forms valid in `release` (without `-p`-only forms unless `withPid`). */
export function probeForms(probe: ProbeInfo, release: string, withPid = false): ProbeForm[] {
  return probe.forms.filter((f) => availableIn(release, f.since, f.removed) && (withPid || !f.requiresPid));
}

/** Part counts accepted by the attach-point parser in `release`, with the error text's expectation. */
const partCountsCache = new WeakMap<ProbeInfo, Map<string, ProbePartCount | undefined>>();

export function probePartCounts(probe: ProbeInfo, release: string): ProbePartCount | undefined {
  let byRelease = partCountsCache.get(probe);
  if (!byRelease) partCountsCache.set(probe, (byRelease = new Map()));
  if (!byRelease.has(release)) byRelease.set(release, probe.partCounts.find((c) => availableIn(release, c.since, c.removed)));
  return byRelease.get(release);
}

/**
 * bpftrace's part-count error for `release`, e.g. `interval probe type requires 2 arguments`
 * (0.17), `… requires 2 arguments, found 1` (0.20+). `provider` is the name as bpftrace reports it.
 */
export function probePartCountMessage(probe: ProbeInfo, release: string, found: number, provider = canonicalProbeName(probe, release)): string | undefined {
  const c = probePartCounts(probe, release);
  if (!c) return undefined;
  if (probe.name === "iter") return `${provider} probe type takes 2 arguments (1 optional)`;
  if (before(release, probesJson.argCountMessageFoundSince)) {
    return `${provider} probe type requires ${c.expected} argument${c.expected === "1" ? "" : "s"}`;
  }
  return `${provider} probe type requires ${c.expected} arguments, found ${found}`;
}

/** Provider spellings valid in `release` (canonical names and aliases), for completion. */
export function probeSpellingsIn(release: string): string[] {
  const out: string[] = [];
  for (const p of PROBES) {
    if (!availableIn(release, p.since, p.removed)) continue;
    for (const s of probeSpellings(p)) if (availableIn(release, s.since, s.removed)) out.push(s.text);
    for (const a of p.aliases ?? []) if (availableIn(release, a.since, a.removed)) out.push(a.text);
  }
  return out;
}

// ------------------------------------------------------------------------------------------ builtins

function builtinPatternMatches(b: BuiltinInfo, name: string, release?: string): boolean {
  if (b.patterns && release !== undefined) {
    return b.patterns.some((p) => availableIn(release, p.since, p.removed) && new RegExp(p.pattern).test(name));
  }
  return b.pattern !== undefined && new RegExp(b.pattern).test(name);
}

/**
 * The builtin variable named `name` (`comm`, `arg3` → argN, `sarg0` → sargN, `$2` → $N).
 * With `release`, family patterns follow that release (`arg10` is not a builtin before 0.24).
 */
export function findBuiltin(name: string, release?: string): BuiltinInfo | undefined {
  return BUILTINS.find((b) => b.name === name && !b.pattern) ?? BUILTINS.find((b) => builtinPatternMatches(b, name, release));
}

/** Whether the builtin exists in `release`. */
export function builtinAvailable(name: string, release: string): boolean {
  const b = findBuiltin(name, release);
  return b !== undefined && availableIn(release, b.since, b.removed);
}

/**
 * Whether the builtin may be used in a probe of the given canonical provider (`kretprobe`).
 * Also takes anything with the same `probes`/`notProbes` restriction (a function's facts).
 */
export function builtinAllowedIn(b: Pick<BuiltinInfo, "probes" | "notProbes">, provider: string): boolean {
  if (b.probes && !b.probes.includes(provider)) return false;
  if (b.notProbes && b.notProbes.includes(provider)) return false;
  return true;
}

/**
 * Whether `name` is a parser-level builtin (a Builtin node, never an Identifier / cast type /
 * macro parameter). Without `release`: the 0.26+ parser set (`args ctx kstack ustack nsecs pid
 * tid argN sargN __builtin_*`). With `release` < 0.24: every builtin variable of that release
 * (the flex lexer's BUILTIN tokens).
 */
export function isParserBuiltin(name: string, release?: string): boolean {
  if (release !== undefined && before(release, "0.24")) {
    const b = findBuiltin(name, release);
    return b !== undefined && !b.positional && availableIn(release, b.since, b.removed);
  }
  if (INTERNAL_PARSER_BUILTINS.includes(name)) return true;
  const b = findBuiltin(name, release);
  return b?.parserBuiltin === true;
}

/** Builtin variables available in `release` (families listed by family name), for completion. */
export function builtinsIn(release: string): BuiltinInfo[] {
  return BUILTINS.filter((b) => availableIn(release, b.since, b.removed));
}

// ------------------------------------------------------------------------------------------ functions

export function findFunction(name: string): FunctionInfo | undefined {
  return FUNCTIONS.find((f) => f.name === name);
}

/** Whether `name` is a builtin function that exists in `release`. */
export function functionAvailable(name: string, release: string): boolean {
  const f = findFunction(name);
  return f !== undefined && availableIn(release, f.since, f.removed);
}

/** The signatures (overloads) of `name` valid in `release`; empty when unknown there. */
export function functionSignatureFor(name: string, release: string): FunctionSignature[] {
  const f = findFunction(name);
  if (f && availableIn(release, f.since, f.removed)) {
    return f.signatures.filter((s) => availableIn(release, s.since, s.removed));
  }
  const b = findBuiltin(name, release);
  if (b?.call && availableIn(release, b.since, b.removed) && availableIn(release, b.call.since)) {
    const args = (b.call.args ?? []).filter((a) => availableIn(release, a.since));
    const maxArgs = b.call.args ? Math.min(b.call.maxArgs, args.length) : b.call.maxArgs;
    return [{ minArgs: b.call.minArgs, maxArgs, args, doc: b.call.doc }];
  }
  return [];
}

/**
 * Whether `name(...)` names something callable in `release`: a builtin function, or a builtin
 * variable with call syntax (`nsecs(monotonic)` 0.19, `comm()` 0.24, `kstack(perf)` always).
 * User macros / fns are not included.
 */
export function isKnownCallName(name: string, release: string): boolean {
  if (functionAvailable(name, release)) return true;
  const b = findBuiltin(name, release);
  return b?.call !== undefined && !b.pattern && availableIn(release, b.since, b.removed) && availableIn(release, b.call.since);
}

/**
 * Whether the flex/bison parser of `release` (< 0.24) rejects `name(...)` as a syntax-level
 * `Unknown function: name`. Since 0.24 every call name parses and is resolved later.
 * Keyword-like names (`sizeof`, `offsetof` since 0.18) count as known.
 */
export function callRejectedAtParse(name: string, release: string): boolean {
  if (!before(release, PARSE_TIME_CALL_CHECK_UNTIL)) return false;
  return !isKnownCallName(name, release);
}

/** Builtin functions available in `release`, for completion. */
export function functionsIn(release: string): FunctionInfo[] {
  return FUNCTIONS.filter((f) => availableIn(release, f.since, f.removed));
}

export function isAggregationFunction(name: string): boolean {
  return findFunction(name)?.aggregation === true;
}

// ------------------------------------------------------------------------------------------ config

/** Normalise a config key: lower case, `BPFTRACE_` prefix dropped. */
export function normalizeConfigKey(key: string): string {
  const lower = key.toLowerCase();
  const prefix = configJson.envPrefix.toLowerCase();
  return lower.startsWith(prefix) ? lower.slice(prefix.length) : lower;
}

/** The config key entry for `key` (case-insensitive, optional `BPFTRACE_` prefix), including renamed/env-only keys. */
export function findConfigKey(key: string): ConfigKeyInfo | undefined {
  const k = normalizeConfigKey(key);
  return CONFIG_KEYS.find((c) => c.name === k);
}

export type ConfigKeyStatus = "ok" | "deprecated" | "renamed" | "env-only" | "unknown" | "no-config";

/**
 * How `release` treats `key` in a `config = { … }` block, with bpftrace's message for anything
 * but "ok" ("deprecated" and — since 0.24 — "renamed" are warnings, the rest errors).
 */
export function configKeyStatus(key: string, release: string): { status: ConfigKeyStatus; message?: string; entry?: ConfigKeyInfo } {
  if (before(release, CONFIG_SINCE)) return { status: "no-config" };
  const msgs = (configJson.messages as ConfigMessages[]).find((m) => availableIn(release, m.since, m.removed))!;
  // < 0.24 names the normalised key in the env-only message; otherwise the key as written.
  const fill = (template: string, k = key, to = "") => template.replace("{key}", k).replace("{to}", to);
  const entry = findConfigKey(key);
  if (entry?.envOnly && availableIn(release, entry.since, entry.removed)) {
    return { status: "env-only", message: fill(msgs.envOnly, before(release, "0.24") ? normalizeConfigKey(key) : key), entry };
  }
  if (entry?.renamedTo && !before(release, "0.24")) {
    return { status: "renamed", message: fill(msgs.renamed, key, entry.renamedTo), entry };
  }
  if (!entry || entry.envOnly || entry.renamedTo || !availableIn(release, entry.since, entry.removed)) {
    return { status: "unknown", message: fill(msgs.unknown), entry };
  }
  if (entry.deprecated && !before(release, entry.deprecated)) {
    return { status: "deprecated", message: fill(msgs.deprecated ?? "{key} is deprecated"), entry };
  }
  return { status: "ok", entry };
}

/** Settable config keys of `release`, for completion. */
export function configKeysIn(release: string): ConfigKeyInfo[] {
  if (before(release, CONFIG_SINCE)) return [];
  return CONFIG_KEYS.filter((c) => !c.envOnly && !c.renamedTo && availableIn(release, c.since, c.removed));
}

// ------------------------------------------------------------------------------------------ types

export function findType(name: string): TypeInfo | undefined {
  return TYPES.find((t) => t.name === name);
}

/** Whether `name` is a builtin type name in `release` (C/BTF types are not covered). */
export function typeAvailable(name: string, release: string): boolean {
  const t = findType(name);
  if (!t) return false;
  if (t.availability) return t.availability.some((r) => availableIn(release, r.since, r.removed));
  return availableIn(release, t.since, t.removed);
}

export function typesIn(release: string): TypeInfo[] {
  return TYPES.filter((t) => typeAvailable(t.name, release));
}

// ------------------------------------------------------------------------------------------ maps, releases

export function findMapKind(name: string): MapKindInfo | undefined {
  return MAP_KINDS.find((m) => m.name === name);
}

export function mapKindAvailable(name: string, release: string): boolean {
  const m = findMapKind(name);
  return m !== undefined && availableIn(release, m.since);
}

export function releaseInfo(release: Release | string): ReleaseInfo | undefined {
  return RELEASE_INFO.find((r) => r.version === release);
}
