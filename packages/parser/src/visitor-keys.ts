import type { Node } from "./ast.ts";

/** For each node type, the properties that hold child nodes, in source order. */
export const visitorKeys: Record<Node["type"], readonly string[]> = {
  Program: ["shebang", "body"],
  Shebang: [],
  Comment: [],
  CPreprocessor: [],
  CDefinition: [],
  ConfigBlock: ["items"],
  ConfigItem: ["key", "value"],
  Import: ["path"],
  MacroDef: ["name", "params", "body"],
  FnDef: ["name", "params", "returnType", "body"],
  FnParam: ["variable", "typeRef"],
  MapDecl: ["map", "kind", "size"],
  Probe: ["attachPoints", "predicate", "body"],
  Predicate: ["expression"],
  AttachPoint: [],
  Block: ["statements", "result"],
  ExpressionStatement: ["expression"],
  Assignment: ["target", "value"],
  LetStatement: ["variable", "typeRef", "value"],
  DiscardStatement: ["value"],
  Condition: ["expression"],
  WhileStatement: ["condition", "body"],
  UnrollStatement: ["count", "body"],
  ForStatement: ["variable", "iterable", "body"],
  RangeExpression: ["start", "end"],
  BreakStatement: [],
  ContinueStatement: [],
  ReturnStatement: ["value"],
  IntegerLiteral: [],
  StringLiteral: [],
  BooleanLiteral: [],
  Identifier: [],
  Builtin: [],
  Variable: [],
  PositionalParam: [],
  ParamCount: [],
  MapRef: [],
  MapAccess: ["map", "keys"],
  Call: ["callee", "args"],
  UnaryExpression: ["operand"],
  UpdateExpression: ["operand"],
  BinaryExpression: ["left", "right"],
  TernaryExpression: ["test", "consequent", "alternate"],
  FieldAccess: ["object", "field"],
  TupleIndex: ["object", "index"],
  IndexExpression: ["object", "index"],
  Cast: ["typeRef", "operand"],
  Parenthesized: ["expression"],
  TupleExpression: ["elements"],
  RecordExpression: ["fields"],
  RecordField: ["name", "value"],
  SizeofExpression: ["argument"],
  OffsetofExpression: ["argument", "fields"],
  TypeinfoExpression: ["argument"],
  ComptimeExpression: ["operand"],
  IfExpression: ["condition", "consequent", "alternate"],
  NamedType: [],
  TypeofType: ["argument"],
};

/** The direct children of a node, in source order. */
export function childNodes(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of visitorKeys[node.type]) {
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === "object" && "type" in item) out.push(item as Node);
    } else if (value && typeof value === "object" && "type" in value) {
      out.push(value as Node);
    }
  }
  return out;
}

/**
 * One generated function per node type that pushes its children, in reverse
 * source order, onto the walk's two stacks. Each has its own property-access
 * sites, which keeps V8's inline caches monomorphic; a generic loop over key
 * names is several times slower on large files.
 */
type PushChildren = (n: Node, nodes: Node[], parents: (Node | undefined)[]) => void;
const pushChildrenReversed = new Map<string, PushChildren>(
  Object.entries(visitorKeys).map(([type, keys]) => {
    const body = [...keys]
      .reverse()
      .map((key) => {
        const v = JSON.stringify(key);
        return `{ const v = n[${v}]; if (Array.isArray(v)) { for (let i = v.length - 1; i >= 0; i--) { const c = v[i]; if (c && typeof c === "object" && c.type) { nodes.push(c); parents.push(n); } } } else if (v && typeof v === "object" && v.type) { nodes.push(v); parents.push(n); } }`;
      })
      .join("\n");
    return [type, new Function("n", "nodes", "parents", body) as PushChildren];
  }),
);

/**
 * Depth-first walk. `enter` may return `false` to skip a node's children.
 * Iterative, so 10,000-deep trees do not overflow the stack.
 */
export function walk(
  root: Node,
  enter: (node: Node, parent: Node | undefined) => boolean | void,
  leave?: (node: Node, parent: Node | undefined) => void,
): void {
  const nodes: Node[] = [root];
  const parents: (Node | undefined)[] = [undefined];
  if (leave === undefined) {
    // A node is done once its children are queued: no third stack to keep.
    while (nodes.length > 0) {
      const node = nodes.pop()!;
      if (enter(node, parents.pop()) !== false) pushChildrenReversed.get(node.type)!(node, nodes, parents);
    }
    return;
  }
  // A node stays on the stack, marked entered, until its children are done.
  const entered: boolean[] = [false];
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const node = nodes[top];
    const parent = parents[top];
    if (entered[top] || enter(node, parent) === false) {
      nodes.pop();
      parents.pop();
      entered.pop();
      leave(node, parent);
      continue;
    }
    entered[top] = true;
    const before = nodes.length;
    pushChildrenReversed.get(node.type)!(node, nodes, parents);
    for (let i = before; i < nodes.length; i++) entered.push(false);
  }
}
