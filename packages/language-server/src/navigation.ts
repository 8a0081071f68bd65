import { walk, type FnDef, type Identifier, type MacroDef, type Range } from "@bt/parser";
import type { Analysis } from "./documents.ts";
import { nodePath } from "./positions.ts";
import type { SymbolEntry } from "./symbols.ts";

/** A place in the file with its role, shared by definition, references and highlight. */
export interface NamedRange {
  range: Range;
  write: boolean;
  definition: boolean;
}

/** What the cursor is on, for navigation: a map/variable, or a macro/fn name. */
export interface NavigationTarget {
  name: string;
  definitions: NamedRange[];
  occurrences: NamedRange[];
}

export function navigationTarget(analysis: Analysis, offset: number): NavigationTarget | undefined {
  const occurrence = analysis.symbols.occurrenceAt(offset);
  if (occurrence) return fromSymbol(occurrence.symbol);

  const path = nodePath(analysis.parsed.ast, offset);
  const node = path.at(-1);
  const parent = path.at(-2);
  if (node?.type !== "Identifier") return undefined;
  const isDefinitionName = (parent?.type === "MacroDef" || parent?.type === "FnDef") && parent.name === node;
  const callable = analysis.symbols.fns.get(node.name) ?? analysis.symbols.macros.get(node.name);
  if (!callable) return undefined;
  // A same-named field (`x.name`) or config key is not a use of the macro.
  if (!isDefinitionName && parent?.type !== "Call" && (parent?.type === "FieldAccess" || parent?.type === "ConfigItem" || parent?.type === "RecordField")) {
    return undefined;
  }
  return fromCallable(analysis, callable);
}

function fromSymbol(symbol: SymbolEntry): NavigationTarget {
  const defs = new Set(symbol.definitions);
  return {
    name: symbol.name,
    definitions: symbol.definitions.map((o) => ({ range: o.range, write: o.write, definition: true })),
    occurrences: symbol.occurrences.map((o) => ({ range: o.range, write: o.write, definition: defs.has(o) })),
  };
}

function fromCallable(analysis: Analysis, callable: MacroDef | FnDef): NavigationTarget {
  const name = callable.name.name;
  const uses: Identifier[] = [];
  walk(analysis.parsed.ast, (node, parent) => {
    if (node.type === "FieldAccess") {
      // Only the object side can be a macro use.
      walk(node.object, (n, p) => void (n.type === "Identifier" && n.name === name && isUse(p, n) && uses.push(n)));
      return false;
    }
    if (node.type === "Identifier" && node.name === name && node !== callable.name && isUse(parent, node)) uses.push(node);
    return undefined;
  });
  const definition: NamedRange = { range: callable.name.range, write: true, definition: true };
  return {
    name,
    definitions: [definition],
    occurrences: [definition, ...uses.map((u) => ({ range: u.range, write: false, definition: false }))].sort(
      (a, b) => a.range.start.offset - b.range.start.offset,
    ),
  };
}

function isUse(parent: unknown, node: Identifier): boolean {
  const p = parent as { type?: string; key?: unknown; name?: unknown } | undefined;
  if (!p) return true;
  if (p.type === "ConfigItem" && p.key === node) return false;
  if (p.type === "RecordField" && p.name === node) return false;
  if ((p.type === "MacroDef" || p.type === "FnDef") && p.name === node) return false;
  return true;
}
