import { walk, type FnDef, type MacroDef, type MapDecl, type MapRef, type Node, type Program, type Range, type Variable } from "@bt/parser";

/**
 * Name resolution for one file: which `@map` and `$variable` occurrences mean the same thing.
 *
 * Maps are global to the program. Scratch variables belong to the probe, fn or macro they
 * appear in; `let` declares one in the innermost block, a `for` variable lives in its loop and
 * fn/macro parameters in their body. An assignment to an unknown variable declares it for the
 * whole probe (bpftrace's implicit declaration).
 */

export type SymbolKind = "map" | "variable";

export interface Occurrence {
  node: MapRef | Variable;
  range: Range;
  /** The occurrence stores a value (assignment target, `++`, `let $x = …`, `for $x`, parameter). */
  write: boolean;
  symbol: SymbolEntry;
}

export interface SymbolEntry {
  kind: SymbolKind;
  /** With its sigil: `@start`, `$pid`. */
  name: string;
  /** Probe, fn, macro, block or for statement the variable lives in; undefined for maps. */
  scope?: Node;
  /** How the symbol is introduced: the occurrences an editor should jump to. */
  definitions: Occurrence[];
  /** Every occurrence, in source order. */
  occurrences: Occurrence[];
  /** `let @m = hash(100);` */
  mapDecl?: MapDecl;
  /** How a variable came to exist. */
  declaredBy?: "let" | "parameter" | "for" | "assignment" | "use";
}

export class SymbolIndex {
  readonly maps = new Map<string, SymbolEntry>();
  readonly variables: SymbolEntry[] = [];
  readonly macros = new Map<string, MacroDef>();
  readonly fns = new Map<string, FnDef>();
  /** All occurrences sorted by start offset. */
  readonly occurrences: Occurrence[] = [];

  constructor(readonly program: Program) {
    build(this, program);
    this.occurrences.sort((a, b) => a.range.start.offset - b.range.start.offset);
  }

  /** The occurrence under the cursor (touching its start or end counts). */
  occurrenceAt(offset: number): Occurrence | undefined {
    for (const o of this.occurrences) {
      if (o.range.start.offset <= offset && offset <= o.range.end.offset) return o;
      if (o.range.start.offset > offset) break;
    }
    return undefined;
  }

  /** Scratch variables visible at an offset (innermost first, one per name). */
  variablesAt(offset: number): SymbolEntry[] {
    const visible = this.variables.filter((v) => v.scope && contains(v.scope.range, offset));
    visible.sort((a, b) => span(a.scope!.range) - span(b.scope!.range));
    const seen = new Set<string>();
    return visible.filter((v) => !seen.has(v.name) && seen.add(v.name));
  }
}

function contains(range: Range, offset: number): boolean {
  return range.start.offset <= offset && offset <= range.end.offset;
}

function span(range: Range): number {
  return range.end.offset - range.start.offset;
}

interface Scope {
  node: Node;
  /** Probe, fn or macro: where implicit declarations go. */
  root: boolean;
  names: Map<string, SymbolEntry>;
}

function build(index: SymbolIndex, program: Program): void {
  const scopes: Scope[] = [];
  const pushed = new Set<Node>();

  const addOccurrence = (symbol: SymbolEntry, node: MapRef | Variable, write: boolean, definition: boolean) => {
    const occ: Occurrence = { node, range: node.range, write, symbol };
    symbol.occurrences.push(occ);
    index.occurrences.push(occ);
    if (definition) symbol.definitions.push(occ);
  };

  const declareVariable = (scope: Scope | undefined, node: Variable, declaredBy: SymbolEntry["declaredBy"], write: boolean) => {
    const owner = scope ?? { node: program, root: true, names: new Map() };
    const symbol: SymbolEntry = { kind: "variable", name: node.name, scope: owner.node, definitions: [], occurrences: [], declaredBy };
    owner.names.set(node.name, symbol);
    index.variables.push(symbol);
    addOccurrence(symbol, node, write, true);
  };

  const rootScope = () => {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i].root) return scopes[i];
    return undefined;
  };

  const push = (node: Node, root: boolean) => {
    scopes.push({ node, root, names: new Map() });
    pushed.add(node);
  };

  walk(
    program,
    (node, parent) => {
      markWrites(node);
      switch (node.type) {
        case "Probe":
          push(node, true);
          break;
        case "FnDef":
          index.fns.set(node.name.name, node);
          push(node, true);
          for (const p of node.params) declareVariable(scopes.at(-1), p.variable, "parameter", true);
          break;
        case "MacroDef":
          index.macros.set(node.name.name, node);
          push(node, true);
          for (const p of node.params) if (p.type === "Variable") declareVariable(scopes.at(-1), p, "parameter", true);
          break;
        case "Block":
          if (parent && parent.type !== "Probe" && parent.type !== "FnDef" && parent.type !== "MacroDef") push(node, false);
          break;
        case "ForStatement":
          push(node, false);
          declareVariable(scopes.at(-1), node.variable, "for", true);
          break;
        case "FnParam":
          return false; // declared with its FnDef
        case "Variable": {
          if (parent?.type === "MacroDef" || (parent?.type === "ForStatement" && parent.variable === node)) return;
          const write = isWrite(node, parent);
          if (parent?.type === "LetStatement" && parent.variable === node) {
            declareVariable(scopes.at(-1), node, "let", write);
            return;
          }
          const existing = lookup(scopes, node.name);
          if (existing) addOccurrence(existing, node, write, false);
          else declareVariable(rootScope(), node, write ? "assignment" : "use", write);
          break;
        }
        case "MapRef": {
          let symbol = index.maps.get(node.name);
          if (!symbol) {
            symbol = { kind: "map", name: node.name, definitions: [], occurrences: [] };
            index.maps.set(node.name, symbol);
          }
          const decl = parent?.type === "MapDecl" ? parent : undefined;
          if (decl) symbol.mapDecl = decl;
          addOccurrence(symbol, node, decl !== undefined || isWrite(node, parent), false);
          break;
        }
      }
      return undefined;
    },
    (node) => {
      if (pushed.has(node)) {
        scopes.pop();
        pushed.delete(node);
      }
    },
  );

  // A map is defined by its `let @m = …` declaration, else by the places that store into it.
  for (const symbol of index.maps.values()) {
    const decl = symbol.occurrences.find((o) => symbol.mapDecl && o.node === symbol.mapDecl.map);
    const defs = decl ? [decl] : symbol.occurrences.filter((o) => o.write);
    symbol.definitions.push(...(defs.length > 0 ? defs : symbol.occurrences.slice(0, 1)));
  }
}

function lookup(scopes: Scope[], name: string): SymbolEntry | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const hit = scopes[i].names.get(name);
    if (hit) return hit;
    // Variables never leak across probes/fns/macros.
    if (scopes[i].root) return undefined;
  }
  return undefined;
}

/**
 * Whether a `$var`/`@map` occurrence stores a value. For `@m[k] = …` the direct parent is the
 * MapAccess, whose own parent the walk does not pass along; `markWrites` records those first.
 */
function isWrite(node: MapRef | Variable, parent: Node | undefined): boolean {
  if (!parent) return false;
  switch (parent.type) {
    case "Assignment":
      return parent.target === node;
    case "LetStatement":
      return parent.variable === node && parent.value !== undefined;
    case "UpdateExpression":
      return parent.operand === node;
    case "MapAccess":
      return writtenMapAccesses.has(parent);
    default:
      return false;
  }
}

/** MapAccess nodes that are assignment/update targets. */
const writtenMapAccesses = new WeakSet<Node>();

/** Record `@m[k] = …` and `@m[k]++` before their MapRef children are visited. */
function markWrites(node: Node): void {
  if (node.type === "Assignment" && node.target.type === "MapAccess") writtenMapAccesses.add(node.target);
  if (node.type === "UpdateExpression" && node.operand.type === "MapAccess") writtenMapAccesses.add(node.operand);
}
