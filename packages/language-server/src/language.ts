import { availableIn, compareReleases } from "@bt/parser";

/**
 * The server's view of the language data (builtins, functions, probe types, config keys).
 * The facts themselves live once in grammar/data and come through @bt/parser's language
 * module; this file only adapts them for hover and completion.
 */

export type EntryKind = "builtin" | "function" | "probe" | "config" | "keyword";

export interface LanguageEntry {
  kind: EntryKind;
  name: string;
  /** Other spellings (`kprobe` ↔ `k`). */
  aliases: string[];
  /** Call signatures or attach-point forms, one per line. */
  signatures: string[];
  /** Markdown description. */
  doc: string;
  since?: string;
  deprecated?: string;
  removed?: string;
}

export type Availability = "available" | "deprecated" | "removed" | "future";

export function availability(entry: LanguageEntry, target: string): Availability {
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
  if (entry.deprecated) notes.push(`Deprecated in ${entry.deprecated}.`);
  if (entry.removed) notes.push(`Removed in ${entry.removed}.`);
  const state = availability(entry, target);
  if (state === "future") notes.push(`**Not available in the target release ${target}.**`);
  if (state === "removed") notes.push(`**Removed before the target release ${target}.**`);
  return "_" + notes.join(" ") + "_";
}

export class LanguageIndex {
  private readonly byKind = new Map<EntryKind, LanguageEntry[]>();
  private readonly byName = new Map<string, LanguageEntry>();

  constructor(entries: LanguageEntry[]) {
    for (const entry of entries) {
      const list = this.byKind.get(entry.kind) ?? [];
      list.push(entry);
      this.byKind.set(entry.kind, list);
      for (const name of [entry.name, ...entry.aliases]) {
        const k = `${entry.kind}:${name}`;
        if (!this.byName.has(k)) this.byName.set(k, entry);
      }
    }
  }

  entries(kind: EntryKind): LanguageEntry[] {
    return this.byKind.get(kind) ?? [];
  }

  find(kind: EntryKind, name: string): LanguageEntry | undefined {
    return this.byName.get(`${kind}:${name}`);
  }
}

let shared: LanguageIndex | undefined;

/** The language data of @bt/parser, adapted once per process. */
export function loadLanguage(): LanguageIndex {
  shared ??= new LanguageIndex([]);
  return shared;
}
