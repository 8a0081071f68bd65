import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { language as lang } from "@bt/parser";
import { signatureText, type Machine } from "@bt/system";
import { CompletionItemKind, type CompletionItem, type CompletionList, type Range as LspRange } from "vscode-languageserver";

/**
 * Completion inside an attach point after its provider, from this machine: kernel functions and
 * modules after `kprobe:`/`kretprobe:` (with their BTF signature), a module's functions after
 * `kprobe:MODULE:`, raw tracepoints (and modules) after `rawtracepoint:` and `rawtracepoint:MODULE:`,
 * functions with BTF after `fentry:`/`fexit:` and `fentry:MODULE:`,
 * tracepoint categories and then events, files after `uprobe:` and `usdt:`, a binary's symbols
 * after `uprobe:BIN:` (demangled after `uprobe:BIN:cpp:`), USDT providers and probes.
 * Lists are cut at `LIMIT` names and marked incomplete, so the client asks again as the prefix grows.
 */

/** Names per answer: a prefix query over 60,000 kernel functions stays cheap, and so does the JSON. */
export const LIMIT = 100;

export interface AttachPointCompletion {
  /** The attach point up to the cursor (`kprobe:vfs_r`). */
  text: string;
  /** The range of the attach point's text from `from` (an index into `text`) to the cursor. */
  rangeFrom(from: number): LspRange;
}

/** Signature texts per machine: the same names come back as the prefix grows, and BTF lookups are not free. */
const signatures = new WeakMap<Machine, Map<string, string | undefined>>();

function signatureOf(machine: Machine, name: string): string | undefined {
  let known = signatures.get(machine);
  if (!known) signatures.set(machine, (known = new Map()));
  if (known.has(name)) return known.get(name);
  const signature = machine.kernelFunction(name);
  const text = signature && signatureText(signature);
  known.set(name, text);
  return text;
}

/** `args` of a raw tracepoint as its completion detail: `args: bool preempt, struct task_struct *prev, …`. */
function rawTracepointArgsText(machine: Machine, event: string, module: string | undefined): string | undefined {
  const args = machine.rawTracepointArgs(event, module);
  return args && `args: ${args.map((a) => (a.type.endsWith("*") ? `${a.type}${a.name}` : `${a.type} ${a.name}`)).join(", ") || "none"}`;
}

export function completeAttachPoint(machine: Machine, at: AttachPointCompletion): CompletionList {
  const { text } = at;
  const parts = text.split(":");
  const provider = lang.findProbe(parts[0])?.probe.name;
  const lastStart = text.lastIndexOf(":") + 1;
  const last = parts.at(-1)!;
  const range = at.rangeFrom(lastStart);
  const list = (names: string[], kind: CompletionItemKind, detail?: (name: string) => string | undefined): CompletionList => ({
    isIncomplete: names.length >= LIMIT,
    items: names.map((name) => {
      const item: CompletionItem = { label: name, kind, textEdit: { range, newText: name } };
      const d = detail?.(name);
      if (d) item.detail = d;
      return item;
    }),
  });
  const none: CompletionList = { isIncomplete: false, items: [] };

  /** Modules whose name starts with the word, before the names of the first part (`kprobe:ext` → `ext4`, then `ext4_…`). */
  const withModules = (names: CompletionList): CompletionList => {
    if (last === "") return names;
    const modules = machine.kernelModules().names.withPrefix(last, 10);
    const items = modules.map((m): CompletionItem => ({ label: m, kind: CompletionItemKind.Module, detail: "kernel module", textEdit: { range, newText: m } }));
    return { isIncomplete: names.isIncomplete, items: [...items, ...names.items] };
  };

  switch (provider) {
    case "kprobe":
    case "kretprobe": {
      if (parts.length === 2) return withModules(list(machine.kernelFunctions().names.withPrefix(last, LIMIT), CompletionItemKind.Function, (name) => signatureOf(machine, name)));
      // `kprobe:MODULE:func`: the functions of that module.
      if (parts.length !== 3) return none;
      return list(machine.kernelFunctions(parts[1]).names.withPrefix(last, LIMIT), CompletionItemKind.Function, (name) => signatureOf(machine, name));
    }
    case "fentry":
    case "fexit": {
      if (parts.length === 2) return withModules(list(machine.btfFunctions().names.withPrefix(last, LIMIT), CompletionItemKind.Function, (name) => signatureOf(machine, name)));
      // `fentry:MODULE:func`: the functions of that module's BTF.
      if (parts.length !== 3) return none;
      return list(machine.btfFunctions(parts[1]).names.withPrefix(last, LIMIT), CompletionItemKind.Function, (name) => signatureOf(machine, name));
    }
    case "rawtracepoint": {
      const module = parts.length === 3 ? parts[1] : undefined;
      if (parts.length > 3) return none;
      const names = list(machine.rawTracepoints(module).names.withPrefix(last, LIMIT), CompletionItemKind.Event, (name) => rawTracepointArgsText(machine, name, module));
      return module === undefined ? withModules(names) : names;
    }
    case "tracepoint": {
      const events = machine.tracepoints().names;
      if (parts.length === 2) {
        const categories = new Set(events.withPrefix(last).map((name) => name.slice(0, name.indexOf(":"))));
        return list([...categories].slice(0, LIMIT), CompletionItemKind.Module);
      }
      if (parts.length !== 3) return none;
      const prefix = `${parts[1]}:`;
      return list(events.withPrefix(prefix + last, LIMIT).map((name) => name.slice(prefix.length)), CompletionItemKind.Event);
    }
    case "uprobe":
    case "uretprobe":
    case "usdt": {
      if (parts.length === 2) return completePath(last, at.rangeFrom(lastStart + last.lastIndexOf("/") + 1));
      const binary = machine.resolveBinary(parts[1]);
      if (!binary.ok) return none;
      if (provider === "usdt") {
        const probes = machine.usdtProbes(binary.path);
        if (!probes.ok) return none;
        // `usdt:BIN:provider:probe` or `usdt:BIN:probe`.
        const names =
          parts.length === 3
            ? [...new Set(probes.probes.flatMap((p) => [p.provider, p.name]))]
            : probes.probes.filter((p) => p.provider === parts[2]).map((p) => p.name);
        return list(names.filter((n) => n.startsWith(last)).sort().slice(0, LIMIT), CompletionItemKind.Event);
      }
      const symbols = machine.binarySymbols(binary.path);
      if (!symbols.ok) return none;
      if (parts.length === 3) {
        const items = list(symbols.value.names.withPrefix(last, LIMIT), CompletionItemKind.Function);
        // The source language comes before a demangled name (`uprobe:BIN:cpp:Class::method`).
        if ("cpp".startsWith(last) && symbols.value.cppNames.size > symbols.value.names.size) {
          items.items.unshift({ label: "cpp", kind: CompletionItemKind.Keyword, detail: "C++ names, demangled", textEdit: { range, newText: "cpp" } });
        }
        return items;
      }
      if (parts[2] !== "cpp") return none;
      // C++ names hold `::`: everything after `cpp:` is one name.
      const name = text.slice(text.indexOf(":", text.indexOf(":", text.indexOf(":") + 1) + 1) + 1);
      const cppStart = text.length - name.length;
      const cppRange = at.rangeFrom(cppStart);
      const names = symbols.value.cppNames.withPrefix(name, LIMIT);
      return {
        isIncomplete: names.length >= LIMIT,
        items: names.map((n) => ({ label: n, kind: CompletionItemKind.Function, textEdit: { range: cppRange, newText: n } })),
      };
    }
    default:
      return none;
  }
}

/** Files and directories whose path starts with `partial` (absolute or relative to the server's directory). */
function completePath(partial: string, range: LspRange): CompletionList {
  if (!partial.startsWith("/") && !partial.startsWith(".")) return { isIncomplete: false, items: [] };
  const directory = partial.endsWith("/") ? partial : dirname(partial);
  const base = partial.slice(partial.lastIndexOf("/") + 1);
  let entries: string[];
  try {
    entries = readdirSync(directory).filter((e) => e.startsWith(base)).sort();
  } catch {
    return { isIncomplete: false, items: [] };
  }
  const items = entries.slice(0, LIMIT).map((entry): CompletionItem => {
    let isDirectory = false;
    try {
      isDirectory = statSync(join(directory, entry)).isDirectory();
    } catch {
      // A dangling link or a file we may not stat is still offered, as a file.
    }
    return {
      label: isDirectory ? `${entry}/` : entry,
      kind: isDirectory ? CompletionItemKind.Folder : CompletionItemKind.File,
      textEdit: { range, newText: isDirectory ? `${entry}/` : entry },
    };
  });
  return { isIncomplete: entries.length > LIMIT, items };
}
