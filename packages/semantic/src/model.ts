/**
 * The semantic model bt-lint rules query: parent links, probe contexts, maps with every
 * read/write/delete/clear, scratch variables with bpftrace's scoping rules for the target
 * release, and light types.
 */
import type {
  Assignment,
  Call,
  Expression,
  FnDef,
  MacroDef,
  MapAccess,
  MapRef,
  Node,
  Probe,
  Program,
  Variable,
} from "@bt/parser";
import { compareReleases, walk } from "@bt/parser";
import { probeContextOf, type ProbeContext } from "./probe-context.ts";
import { checkTypes, type TypeCheckResult } from "./type-checker.ts";
import type { TypeSource } from "./type-source.ts";
import { createTypeInference, type Kind } from "./types.ts";

export type { Kind };
export type { ProbeContext };

/** A function-like body that owns scratch variables: a probe, an `fn` or a `macro`. */
export type Owner = Probe | FnDef | MacroDef;

export interface ProbeInfo {
  node: Probe;
  index: number;
  context: ProbeContext;
}

/** `escape`: passed to a user macro or fn, where anything may happen to it. */
export type MapUseKind = "read" | "write" | "delete" | "clear" | "declare" | "escape";

export interface MapUse {
  kind: MapUseKind;
  /** The `@name` reference. */
  ref: MapRef;
  /** `@m[k]` when used with keys. */
  access?: MapAccess;
  /** The assignment, for writes (`@m[k] = v`, `@m[k]++`, `@m[k] += v`). */
  assignment?: Assignment;
  /** Value written, for writes (undefined for `++`/`--`). */
  value?: Expression;
  /** The call for delete/clear/zero and reads through a call (`print(@m)`, `len(@m)`). */
  call?: Call;
  owner?: Owner;
}

export interface MapSymbol {
  name: string;
  uses: MapUse[];
}

export interface Scope {
  kind: "owner" | "block";
  node: Node;
  parent?: Scope;
  owner?: Owner;
  variables: Map<string, VariableSymbol>;
}

export interface VariableSymbol {
  name: string;
  scope: Scope;
  /** First write (`let`, assignment, for-loop binding or fn parameter) in source order. */
  declaration: Node;
  declarationKind: "let" | "assignment" | "for" | "param";
  /** Every write, in source order. */
  writes: { node: Variable; value?: Expression; statement: Node }[];
  reads: Variable[];
}

export type VariableProblem =
  | { kind: "use-before-assign"; node: Variable; name: string; owner: Owner }
  | { kind: "out-of-scope"; node: Variable; name: string; owner: Owner; declaredAt: Node }
  /** `let $x;` (no value) read before any assignment, or never assigned at all. */
  | { kind: "read-before-value"; node: Variable; name: string; owner: Owner; declaredAt: Node }
  | { kind: "never-assigned"; node: Node; name: string; owner: Owner }
  /** `let $x` or `for ($x : …)` where `$x` already exists in this or an enclosing scope (0.22+ scoping). */
  | { kind: "shadowing"; node: Variable; name: string; owner: Owner; declaredAt: Node; loop: boolean };

export interface SemanticModel {
  program: Program;
  target: string;
  /** Whether the target release uses block scoping for scratch variables (0.22+). */
  blockScoping: boolean;
  probes: ProbeInfo[];
  maps: Map<string, MapSymbol>;
  variables: VariableSymbol[];
  variableProblems: VariableProblem[];
  calls: Call[];
  /** Names of the file's top-level `fn`s and `macro`s. */
  userCallables: ReadonlySet<string>;
  /** Whether the file has an `import "…"` (bringing in functions and macros bt-lint cannot see). */
  hasImport: boolean;
  parentOf(node: Node): Node | undefined;
  /** The probe, fn or macro a node is in. */
  ownerOf(node: Node): Owner | undefined;
  probeInfoOf(node: Node): ProbeInfo | undefined;
  /** The variable symbol a `$x` reference resolves to. */
  symbolOf(ref: Variable): VariableSymbol | undefined;
  typeOf(expr: Expression): Kind;
  /** bpftrace types of every expression and what bpftrace's type checker refuses (computed on first use). */
  readonly types: TypeCheckResult;
  /** Strips `(…)` around an expression. */
  unwrap(expr: Expression): Expression;
}

const MAP_READ_CALLS = new Set(["print", "len", "has_key", "find"]);

/** `typeSource`: kernel and binary types (BTF, DWARF, tracepoint formats) for `model.types`; none by default. */
export function buildModel(program: Program, target: string, typeSource?: TypeSource): SemanticModel {
  const parents = new Map<Node, Node>();
  const owners = new Map<Node, Owner>();
  const calls: Call[] = [];
  const probes: ProbeInfo[] = [];
  const probeInfos = new Map<Probe, ProbeInfo>();
  const maps = new Map<string, MapSymbol>();
  const blockScoping = compareReleases(target, "0.22") >= 0;

  // Pass 1: parents, owners, calls, probes, imports.
  let currentOwner: Owner | undefined;
  let hasImport = false;
  walk(
    program,
    (node, parent) => {
      if (parent) parents.set(node, parent);
      if (node.type === "Probe" || node.type === "FnDef" || node.type === "MacroDef") currentOwner = node;
      if (currentOwner) owners.set(node, currentOwner);
      if (node.type === "Probe") {
        const info: ProbeInfo = { node, index: probes.length, context: probeContextOf(node) };
        probes.push(info);
        probeInfos.set(node, info);
      }
      if (node.type === "Call") calls.push(node);
      if (node.type === "Import") hasImport = true;
      // Comments and attach points have no children worth visiting.
      if (node.type === "AttachPoint") return false;
    },
    (node) => {
      if (node.type === "Probe" || node.type === "FnDef" || node.type === "MacroDef") currentOwner = undefined;
    },
  );

  const parentOf = (n: Node) => parents.get(n);
  const unwrap = (e: Expression): Expression => {
    let x = e;
    while (x.type === "Parenthesized") x = x.expression;
    return x;
  };

  // Pass 2: maps.
  const userCallables = new Set<string>();
  for (const t of program.body) if (t.type === "MacroDef" || t.type === "FnDef") userCallables.add(t.name.name);
  const mapSymbol = (name: string): MapSymbol => {
    let s = maps.get(name);
    if (!s) maps.set(name, (s = { name, uses: [] }));
    return s;
  };
  walk(program, (node) => {
    if (node.type !== "MapRef") return;
    const owner = owners.get(node);
    const parent = parents.get(node);
    const use: MapUse = { kind: "read", ref: node, owner };
    let holder: Node = node;
    if (parent?.type === "MapAccess" && parent.map === node) {
      use.access = parent;
      holder = parent;
    }
    const up = parents.get(holder);
    if (up?.type === "Assignment" && up.target === holder) {
      use.kind = "write";
      use.assignment = up;
      use.value = up.value;
      if (up.operator !== "=") mapSymbol(node.name).uses.push({ ...use, kind: "read", assignment: undefined, value: undefined });
    } else if (up?.type === "UpdateExpression") {
      use.kind = "write";
      mapSymbol(node.name).uses.push({ ...use, kind: "read" });
    } else if (up?.type === "MapDecl") {
      use.kind = "declare";
    } else if (up?.type === "Call") {
      const fn = up.callee.name;
      use.call = up;
      if (userCallables.has(fn)) use.kind = "escape";
      else if (fn === "delete" && up.args[0] === holder) use.kind = "delete";
      else if (fn === "delete" && up.args.length > 1 && holder.type === "MapAccess") use.kind = "delete"; // 0.21 multi-map form
      else if ((fn === "clear" || fn === "zero") && up.args[0] === holder) use.kind = "clear";
      else if (MAP_READ_CALLS.has(fn)) use.kind = "read";
    }
    mapSymbol(node.name).uses.push(use);
  });

  // Pass 3: scratch variables.
  const variables: VariableSymbol[] = [];
  const variableProblems: VariableProblem[] = [];
  const refSymbols = new Map<Variable, VariableSymbol>();
  analyseVariables(program, blockScoping, variables, variableProblems, refSymbols, parentOf);

  const model: SemanticModel = {
    program,
    target,
    blockScoping,
    probes,
    maps,
    variables,
    variableProblems,
    calls,
    userCallables,
    hasImport,
    parentOf,
    ownerOf: (n) => owners.get(n),
    probeInfoOf: (n) => {
      const o = owners.get(n) ?? (n.type === "Probe" ? n : undefined);
      return o && o.type === "Probe" ? probeInfos.get(o) : undefined;
    },
    symbolOf: (ref) => refSymbols.get(ref),
    typeOf: () => "unknown",
    get types() {
      const result = checkTypes(model, typeSource);
      Object.defineProperty(model, "types", { value: result });
      return result;
    },
    unwrap,
  };
  model.typeOf = createTypeInference(model);
  return model;
}

// ---------------------------------------------------------------------------
// Variables

function analyseVariables(
  program: Program,
  blockScoping: boolean,
  variables: VariableSymbol[],
  problems: VariableProblem[],
  refSymbols: Map<Variable, VariableSymbol>,
  parentOf: (n: Node) => Node | undefined,
): void {
  /** `find(@m, k, $v)` stores into `$v`. */
  const isFindResult = (r: Variable) => {
    const p = parentOf(r);
    return p?.type === "Call" && p.callee.name === "find" && p.args[2] === r;
  };
  /** Inside `sizeof`/`offsetof`/`typeof`/`typeinfo` only the type is used, not the value. */
  const onlyTyped = (r: Node) => {
    for (let p = parentOf(r); p; p = parentOf(p)) {
      if (p.type === "SizeofExpression" || p.type === "OffsetofExpression" || p.type === "TypeofType" || p.type === "TypeinfoExpression") return true;
      if (p.type === "Probe" || p.type === "FnDef") return false;
    }
    return false;
  };
  for (const top of program.body) {
    if (top.type !== "Probe" && top.type !== "FnDef") continue; // macros are hygienic and untyped: skipped
    const owner = top;
    const ownerScope: Scope = { kind: "owner", node: owner, owner, variables: new Map() };
    const allScopes: Scope[] = [ownerScope];
    /** `$x` reads that did not resolve when seen, with the scope they were in. */
    const pending: { node: Variable; scope: Scope; assignedLater?: boolean }[] = [];
    const scopeOfBlock = new Map<Node, Scope>();

    const declare = (
      scope: Scope,
      node: Variable,
      kind: VariableSymbol["declarationKind"],
      statement: Node,
      value?: Expression,
    ): VariableSymbol => {
      const sym: VariableSymbol = { name: node.name, scope, declaration: statement, declarationKind: kind, writes: [], reads: [] };
      sym.writes.push({ node, value, statement });
      scope.variables.set(node.name, sym);
      variables.push(sym);
      refSymbols.set(node, sym);
      return sym;
    };
    const resolve = (scope: Scope, name: string): VariableSymbol | undefined => {
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        const v = s.variables.get(name);
        if (v) return v;
      }
      return undefined;
    };

    if (owner.type === "FnDef") {
      for (const p of owner.params) declare(ownerScope, p.variable, "param", p);
    }

    const scopeStack: Scope[] = [ownerScope];
    const current = () => scopeStack[scopeStack.length - 1];
    const body = owner.body;

    walk(
      owner,
      (node, parent) => {
        if (node.type === "AttachPoint" || node.type === "FnParam") return false;
        // Blocks (other than the owner's body) open a scope on 0.22+.
        if (node.type === "Block" && node !== body && blockScoping) {
          const s: Scope = { kind: "block", node, parent: current(), owner, variables: new Map() };
          allScopes.push(s);
          scopeStack.push(s);
          scopeOfBlock.set(node, s);
        }
        // A for-loop variable lives in the loop body.
        if (node.type === "Block" && parent?.type === "ForStatement" && parent.body === node) {
          const outer = blockScoping ? resolve(current(), parent.variable.name) : undefined;
          if (outer) problems.push({ kind: "shadowing", node: parent.variable, name: outer.name, owner, declaredAt: outer.declaration, loop: true });
          declare(current(), parent.variable, "for", parent);
        }
        if (node.type === "Variable") {
          // Written variables are handled when their statement is left (after its value).
          if (parent?.type === "Assignment" && parent.target === node) return false;
          if (parent?.type === "LetStatement" && parent.variable === node) return false;
          if (parent?.type === "ForStatement" && parent.variable === node) return false;
          read(node);
        }
        return true;
      },
      (node) => {
        if (node.type === "Block" && scopeOfBlock.has(node)) scopeStack.pop();
        if (node.type === "LetStatement") {
          const outer = blockScoping ? resolve(current(), node.variable.name) : undefined;
          if (outer) problems.push({ kind: "shadowing", node: node.variable, name: outer.name, owner, declaredAt: outer.declaration, loop: false });
          declare(current(), node.variable, "let", node, node.value);
        } else if (node.type === "Assignment" && node.target.type === "Variable") {
          const target = node.target;
          const existing = resolve(current(), target.name);
          if (existing) {
            if (node.operator !== "=") existing.reads.push(target);
            existing.writes.push({ node: target, value: node.value, statement: node });
            refSymbols.set(target, existing);
          } else {
            if (node.operator !== "=") pending.push({ node: target, scope: current() });
            declare(current(), target, "assignment", node, node.value);
          }
        }
      },
    );

    function read(node: Variable): void {
      const sym = resolve(current(), node.name);
      if (sym) {
        sym.reads.push(node);
        refSymbols.set(node, sym);
      } else {
        pending.push({ node, scope: current() });
      }
    }

    // `let $x;` without a value: reads before the first assignment see no value.
    for (const sym of variables) {
      if (sym.scope.owner !== owner || sym.declarationKind !== "let" || (sym.declaration.type === "LetStatement" && sym.declaration.value)) continue;
      const assigned = [...sym.writes.slice(1).map((w) => w.node), ...sym.reads.filter(isFindResult)].map((n) => n.range.start.offset);
      const first = assigned.length > 0 ? Math.min(...assigned) : Infinity;
      for (const r of sym.reads) {
        if (r.range.start.offset < first && !isFindResult(r) && !onlyTyped(r)) problems.push({ kind: "read-before-value", node: r, name: sym.name, owner, declaredAt: sym.declaration });
      }
      if (assigned.length === 0) problems.push({ kind: "never-assigned", node: sym.declaration, name: sym.name, owner });
    }

    for (const p of pending) {
      // Declared later in an enclosing scope (source order): read before assignment.
      const later = resolve(p.scope, p.node.name);
      if (later) {
        later.reads.push(p.node);
        refSymbols.set(p.node, later);
        problems.push({ kind: "use-before-assign", node: p.node, name: p.node.name, owner });
        continue;
      }
      const elsewhere = allScopes.filter((s) => s.variables.has(p.node.name));
      if (elsewhere.length > 0) {
        const sym = elsewhere[0].variables.get(p.node.name)!;
        // The read was meant for every same-named variable of the other blocks.
        for (const s of elsewhere) s.variables.get(p.node.name)!.reads.push(p.node);
        refSymbols.set(p.node, sym);
        problems.push({ kind: "out-of-scope", node: p.node, name: p.node.name, owner, declaredAt: sym.declaration });
      } else {
        problems.push({ kind: "use-before-assign", node: p.node, name: p.node.name, owner });
      }
    }
  }
}
