import { availableIn, compareReleases, language as lang, type AttachPoint } from "@bt/parser";

/**
 * The server's view of the language data (builtins, functions, probe types, config keys).
 * The facts live once in grammar/data and come through @bt/parser's language module; this file
 * only turns them into what hover and completion show.
 */

export type EntryKind = "builtin" | "function" | "probe" | "config";

export interface LanguageEntry {
  kind: EntryKind;
  /** Name as the target release spells it (`BEGIN` before 0.24, `begin` after). */
  name: string;
  /** Call signatures or attach-point forms, one per line (bpftrace-ish pseudo code). */
  signatures: string[];
  /** Markdown description. */
  doc: string;
  since?: string;
  deprecated?: string;
  removed?: string;
  /** Probe types (canonical providers) it is limited to, or excluded from. */
  probes?: string[];
  notProbes?: string[];
}

/** What a builtin means in a probe of some source language (`arg0` is `this` in a C++ method). */
export interface ImplicitArgument {
  builtin: string;
  name: string;
  doc: string;
}

/** Whether an entry may be used in a probe with these attach points' providers (unknown ones allow anything). */
export function allowedInProbe(entry: Pick<LanguageEntry, "probes" | "notProbes">, providers: (string | undefined)[]): boolean {
  return providers.every((p) => p === undefined || lang.builtinAllowedIn(entry, p));
}

export type Availability = "available" | "deprecated" | "removed" | "future";

export function availability(entry: Pick<LanguageEntry, "since" | "deprecated" | "removed">, target: string): Availability {
  if (entry.since && compareReleases(target, entry.since) < 0) return "future";
  if (!availableIn(target, entry.since, entry.removed)) return "removed";
  if (entry.deprecated && compareReleases(target, entry.deprecated) >= 0) return "deprecated";
  return "available";
}

/** Hover/completion documentation of an entry, including the releases it exists in. */
export function entryMarkdown(entry: LanguageEntry, target: string): string {
  const parts: string[] = [];
  if (entry.signatures.length > 0) parts.push("```bpftrace\n" + entry.signatures.join("\n") + "\n```");
  if (entry.doc) parts.push(entry.doc);
  parts.push(releaseNote(entry, target));
  return parts.join("\n\n");
}

function releaseNote(entry: LanguageEntry, target: string): string {
  const notes = [entry.since ? `Added in bpftrace ${entry.since}.` : "Available in every supported bpftrace release."];
  if (entry.deprecated) notes.push(`Deprecated since ${entry.deprecated}.`);
  if (entry.removed) notes.push(`Removed in ${entry.removed}.`);
  const state = availability(entry, target);
  if (state === "future") notes.push(`**Not available in the target release ${target}.**`);
  if (state === "removed") notes.push(`**Not available in the target release ${target}.**`);
  return "_" + notes.join(" ") + "_";
}

/** One overload of a callable, with where each parameter sits in `label` (for signature help). */
export interface CallSignature {
  /** `lhist(n: int, min: int, max: int, step: int): aggregation` */
  label: string;
  /** `[start, end)` offsets of each parameter in `label`, and its text. */
  parameters: { label: string; start: number; end: number }[];
  /** The last parameter takes any number of arguments. */
  variadic: boolean;
  minArgs: number;
  maxArgs: number;
  /** Markdown: the function's doc, then the overload's. */
  doc: string;
  /** The overload is deprecated in the target release (since this one). */
  deprecated?: string;
}

/** Language facts for one target release. */
export interface LanguageIndex {
  /**
   * Overloads of a builtin function or call-style builtin (`kstack(…)`) that `target` accepts,
   * current ones before deprecated ones; all overloads when none fits `target`.
   */
  callSignatures(name: string, target: string): CallSignature[];
  /** Entries to offer in completion (only what `target` accepts, deprecated included). */
  entries(kind: EntryKind, target: string): LanguageEntry[];
  /** The entry for a name as written (`arg3`, `kr`, `BPFTRACE_MAX_MAP_KEYS`), in any release. */
  find(kind: EntryKind, name: string, target: string): LanguageEntry | undefined;
  /** Builtins that mean more in this attach point's source language (`arg0` → `this`). */
  implicitArguments(attachPoint: AttachPoint): ImplicitArgument[];
}

// ------------------------------------------------------------------------------ conversions

function versionComment(v: { since?: string; deprecated?: string; removed?: string }): string {
  const notes: string[] = [];
  if (v.since) notes.push(`since ${v.since}`);
  if (v.deprecated) notes.push(`deprecated ${v.deprecated}`);
  if (v.removed) notes.push(`removed in ${v.removed}`);
  return notes.length > 0 ? `  // ${notes.join(", ")}` : "";
}

function argText(a: lang.ArgSpec): string {
  const values = a.values ? `: ${a.values.join(" | ")}` : a.kind === "any" ? "" : `: ${a.kind}`;
  return `${a.variadic ? "..." : ""}${a.name}${a.optional ? "?" : ""}${values}`;
}

function builtinEntry(b: lang.BuiltinInfo): LanguageEntry {
  const signatures = [`${b.name}: ${b.type}`];
  if (b.call) signatures.push(`${b.name}(${(b.call.args ?? []).map(argText).join(", ")})${versionComment({ since: b.call.since })}`);
  const doc = [b.doc];
  if (b.call?.doc) doc.push(b.call.doc);
  if (b.probes) doc.push(`Valid in ${b.probes.map((p) => `\`${p}\``).join(", ")} probes.`);
  if (b.notProbes) doc.push(`Not valid in ${b.notProbes.map((p) => `\`${p}\``).join(", ")} probes.`);
  return {
    kind: "builtin",
    name: b.name,
    signatures,
    doc: doc.join("\n\n"),
    since: b.since,
    deprecated: b.deprecated,
    removed: b.removed,
    probes: b.probes,
    notProbes: b.notProbes,
  };
}

/** With `target`, only the overloads that release accepts (completion); without, all (hover). */
function functionEntry(f: lang.FunctionInfo, target?: string): LanguageEntry {
  const overloads = target ? f.signatures.filter((s) => availableIn(target, s.since, s.removed)) : f.signatures;
  const signatures = overloads.map((s) => `${f.name}(${s.args.map(argText).join(", ")}): ${f.returns}${versionComment(s)}`);
  const doc = [f.doc];
  if (f.aggregation) doc.push("Aggregation: use as a map value, `@m = " + f.name + "(…)`.");
  if (f.probes) doc.push(`Valid in ${f.probes.map((p) => `\`${p}\``).join(", ")} probes.`);
  if (f.unsafe) doc.push("Needs `--unsafe`.");
  return { kind: "function", name: f.name, signatures, doc: doc.join("\n\n"), since: f.since, deprecated: f.deprecated, removed: f.removed, probes: f.probes };
}

function probeEntry(p: lang.ProbeInfo, target: string): LanguageEntry {
  const name = lang.canonicalProbeName(p, target);
  const signatures = p.forms.map((f) => (f.syntax ? `${name}:${f.syntax}` : name) + versionComment(f));
  const doc = [p.doc];
  const aliases = (p.aliases ?? []).filter((a) => availableIn(target, a.since, a.removed)).map((a) => `\`${a.text}\``);
  if (aliases.length > 0) doc.push(`Alias: ${aliases.join(", ")}.`);
  return { kind: "probe", name, signatures, doc: doc.join("\n\n"), since: p.since, removed: p.removed };
}

function configEntry(c: lang.ConfigKeyInfo): LanguageEntry {
  const value = c.values ? c.values.join(" | ") : c.kind;
  const doc = [c.doc];
  if (c.renamedTo) doc.push(`Renamed to \`${c.renamedTo}\`${c.renamedIn ? ` in ${c.renamedIn}` : ""}.`);
  if (c.envOnly) doc.push(`Only settable as the environment variable \`BPFTRACE_${c.name.toUpperCase()}\`.`);
  return {
    kind: "config",
    name: c.name,
    signatures: [`${c.name} = ${value}`],
    doc: doc.join("\n\n"),
    since: c.since ?? lang.CONFIG_SINCE,
    deprecated: c.deprecated,
    removed: c.removed,
  };
}

/** Families (`argN`, `$N`) are hovered through their pattern but not offered as names. */
const isFamily = (b: lang.BuiltinInfo) => b.pattern !== undefined || b.patterns !== undefined || b.positional === true;

/** `name(a: int, b?: string): ret` with the offsets of each parameter. */
export function buildSignature(name: string, params: string[], returns: string | undefined): Pick<CallSignature, "label" | "parameters"> {
  let label = `${name}(`;
  const parameters: CallSignature["parameters"] = [];
  params.forEach((text, i) => {
    if (i > 0) label += ", ";
    parameters.push({ label: text, start: label.length, end: label.length + text.length });
    label += text;
  });
  label += ")" + (returns ? `: ${returns}` : "");
  return { label, parameters };
}

function functionSignatures(f: lang.FunctionInfo, target: string): CallSignature[] {
  const available = f.signatures.filter((s) => availableIn(target, s.since, s.removed));
  const overloads = available.length > 0 ? available : f.signatures;
  const current = (s: lang.FunctionSignature) => !(s.deprecated && compareReleases(target, s.deprecated) >= 0);
  return [...overloads.filter(current), ...overloads.filter((s) => !current(s))].map((s) => ({
    ...buildSignature(f.name, s.args.map(argText), f.returns),
    variadic: s.args.at(-1)?.variadic === true,
    minArgs: s.minArgs,
    maxArgs: s.maxArgs,
    doc: [f.doc, s.doc].filter(Boolean).join("\n\n"),
    ...(s.deprecated && !current(s) ? { deprecated: s.deprecated } : {}),
  }));
}

/** `uprobeLanguages[]` of grammar/data/probes.json with the fields @bt/parser does not type. */
interface SourceLanguage extends lang.NamedDoc {
  implicitArguments?: (ImplicitArgument & { when?: "qualified" })[];
}

class ParserLanguage implements LanguageIndex {
  implicitArguments(attachPoint: AttachPoint): ImplicitArgument[] {
    const language = attachPoint.language?.value;
    if (!language) return [];
    const info = (lang.UPROBE_LANGUAGES as readonly SourceLanguage[]).find((l) => l.name === language);
    const qualified = attachPoint.func?.value.includes("::") ?? false;
    return (info?.implicitArguments ?? []).filter((a) => a.when !== "qualified" || qualified).map(({ builtin, name, doc }) => ({ builtin, name, doc }));
  }

  callSignatures(name: string, target: string): CallSignature[] {
    const f = lang.findFunction(name);
    if (f) return functionSignatures(f, target);
    const b = lang.findBuiltin(name, target) ?? lang.findBuiltin(name);
    if (!b?.call) return [];
    const args = b.call.args ?? [];
    return [
      {
        ...buildSignature(b.name, args.map(argText), b.type),
        variadic: args.at(-1)?.variadic === true,
        minArgs: b.call.minArgs,
        maxArgs: b.call.maxArgs,
        doc: [b.doc, b.call.doc].filter(Boolean).join("\n\n"),
      },
    ];
  }

  entries(kind: EntryKind, target: string): LanguageEntry[] {
    switch (kind) {
      case "builtin":
        return lang.BUILTINS.filter((b) => !isFamily(b)).map(builtinEntry);
      case "function":
        return lang.FUNCTIONS.map((f) => functionEntry(f, target));
      case "probe":
        return lang.PROBES.map((p) => probeEntry(p, target));
      case "config":
        return lang.configKeysIn(target).map(configEntry);
    }
  }

  find(kind: EntryKind, name: string, target: string): LanguageEntry | undefined {
    switch (kind) {
      case "builtin": {
        const b = lang.findBuiltin(name, target) ?? lang.findBuiltin(name);
        return b && builtinEntry(b);
      }
      case "function": {
        const f = lang.findFunction(name);
        return f && functionEntry(f);
      }
      case "probe": {
        const p = lang.findProbe(name);
        return p && probeEntry(p.probe, target);
      }
      case "config": {
        const c = lang.findConfigKey(name);
        return c && configEntry(c);
      }
    }
  }
}

let shared: LanguageIndex | undefined;

/** The language data of @bt/parser. */
export function loadLanguage(): LanguageIndex {
  shared ??= new ParserLanguage();
  return shared;
}
