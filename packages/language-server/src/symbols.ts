import { walk, type FnDef, type MacroDef, type MapDecl, type MapRef, type Node, type Range, type Variable } from "@bt/parser";
import type { SemanticModel, VariableSymbol } from "@bt/semantic";

/**
 * The file's maps, scratch variables, macros and fns as the editor features see them, read from
 * @bt/semantic's model (the linter's and type checker's name resolution), so navigation, rename,
 * highlight and hover agree with bt-lint and with bpftrace's scoping for the target release
 * (block scoping from 0.22).
 *
 * The model leaves macro bodies out (macros are hygienic and untyped); here every `$name` of a
 * macro is one variable of that macro, its parameters declaring theirs.
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
  /** Probe, fn, macro or block the variable lives in; undefined for maps. */
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

const DECLARED_BY: Record<VariableSymbol["declarationKind"], SymbolEntry["declaredBy"]> = {
  let: "let",
  param: "parameter",
  for: "for",
  assignment: "assignment",
};

export class SymbolIndex {
  readonly maps = new Map<string, SymbolEntry>();
  readonly variables: SymbolEntry[] = [];
  readonly macros = new Map<string, MacroDef>();
  readonly fns = new Map<string, FnDef>();
  /** All occurrences sorted by start offset. */
  readonly occurrences: Occurrence[] = [];

  constructor(readonly model: SemanticModel) {
    for (const item of model.program.body) {
      if (item.type === "MacroDef") this.macros.set(item.name.name, item);
      else if (item.type === "FnDef") this.fns.set(item.name.name, item);
    }
    this.addMaps();
    this.addVariables();
    for (const macro of this.macros.values()) this.addMacroVariables(macro);
    this.occurrences.sort((a, b) => a.range.start.offset - b.range.start.offset);
    for (const symbol of [...this.maps.values(), ...this.variables]) symbol.occurrences.sort((a, b) => a.range.start.offset - b.range.start.offset);
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

  private occur(symbol: SymbolEntry, node: MapRef | Variable, write: boolean): Occurrence {
    const occurrence: Occurrence = { node, range: node.range, write, symbol };
    symbol.occurrences.push(occurrence);
    this.occurrences.push(occurrence);
    return occurrence;
  }

  /** One occurrence per `@name` (a `+=` is both a read and a write of the map in the model). */
  private addMaps(): void {
    for (const map of this.model.maps.values()) {
      const symbol: SymbolEntry = { kind: "map", name: map.name, definitions: [], occurrences: [] };
      this.maps.set(map.name, symbol);
      const writes = new Map<MapRef, boolean>();
      for (const use of map.uses) {
        const stores = use.kind === "write" || use.kind === "declare";
        writes.set(use.ref, (writes.get(use.ref) ?? false) || stores);
        if (use.kind === "declare") symbol.mapDecl = this.model.parentOf(use.ref) as MapDecl;
      }
      const occurrences = [...writes].map(([ref, write]) => this.occur(symbol, ref, write));
      // A map is defined by its `let @m = …` declaration, else by the places that store into it.
      const declared = occurrences.find((o) => symbol.mapDecl && o.node === symbol.mapDecl.map);
      const stored = occurrences.filter((o) => o.write);
      symbol.definitions.push(...(declared ? [declared] : stored.length > 0 ? stored : occurrences.slice(0, 1)));
    }
  }

  private addVariables(): void {
    const { model } = this;
    for (const variable of model.variables) {
      const symbol: SymbolEntry = { kind: "variable", name: variable.name, scope: variable.scope.node, definitions: [], occurrences: [], declaredBy: DECLARED_BY[variable.declarationKind] };
      this.variables.push(symbol);
      const seen = new Map<Variable, Occurrence>();
      for (const write of variable.writes) {
        // `let $x;` declares without storing a value.
        const stores = write.statement.type !== "LetStatement" || write.statement.value !== undefined;
        seen.set(write.node, this.occur(symbol, write.node, stores));
      }
      for (const read of variable.reads) {
        // A read bpftrace cannot resolve is listed under every same-named variable; it belongs to one.
        if (seen.has(read) || model.symbolOf(read) !== variable) continue;
        const update = model.parentOf(read)?.type === "UpdateExpression";
        seen.set(read, this.occur(symbol, read, update));
      }
      symbol.definitions.push(seen.get(variable.writes[0].node)!);
    }
    // Reads of a name never assigned in their probe or fn: one variable per owner and name.
    const unresolved = new Map<string, SymbolEntry>();
    for (const problem of model.variableProblems) {
      if (problem.kind !== "use-before-assign" || model.symbolOf(problem.node)) continue;
      const key = `${problem.owner.range.start.offset}:${problem.name}`;
      let symbol = unresolved.get(key);
      if (!symbol) {
        symbol = { kind: "variable", name: problem.name, scope: problem.owner, definitions: [], occurrences: [], declaredBy: "use" };
        unresolved.set(key, symbol);
        this.variables.push(symbol);
      }
      const occurrence = this.occur(symbol, problem.node, false);
      if (symbol.definitions.length === 0) symbol.definitions.push(occurrence);
    }
  }

  private addMacroVariables(macro: MacroDef): void {
    const byName = new Map<string, SymbolEntry>();
    const parameters = new Set<Node>(macro.params.filter((p) => p.type === "Variable"));
    walk(macro, (node, parent) => {
      if (node.type !== "Variable") return;
      let symbol = byName.get(node.name);
      const write = parameters.has(node) || isWrite(node, parent);
      if (!symbol) {
        symbol = { kind: "variable", name: node.name, scope: macro, definitions: [], occurrences: [], declaredBy: parameters.has(node) ? "parameter" : write ? "assignment" : "use" };
        byName.set(node.name, symbol);
        this.variables.push(symbol);
        symbol.definitions.push(this.occur(symbol, node, write));
      } else {
        this.occur(symbol, node, write);
      }
    });
  }
}

function isWrite(node: Variable, parent: Node | undefined): boolean {
  switch (parent?.type) {
    case "Assignment":
      return parent.target === node;
    case "LetStatement":
      return parent.variable === node && parent.value !== undefined;
    case "UpdateExpression":
      return parent.operand === node;
    case "ForStatement":
      return parent.variable === node;
    default:
      return false;
  }
}

function contains(range: Range, offset: number): boolean {
  return range.start.offset <= offset && offset <= range.end.offset;
}

function span(range: Range): number {
  return range.end.offset - range.start.offset;
}
