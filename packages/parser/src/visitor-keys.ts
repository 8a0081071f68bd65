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
 * Depth-first walk. `enter` may return `false` to skip a node's children.
 * Iterative, so 10,000-deep trees do not overflow the stack.
 */
export function walk(
  root: Node,
  enter: (node: Node, parent: Node | undefined) => boolean | void,
  leave?: (node: Node, parent: Node | undefined) => void,
): void {
  const stack: { node: Node; parent: Node | undefined; entered: boolean }[] = [
    { node: root, parent: undefined, entered: false },
  ];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.entered) {
      stack.pop();
      leave?.(frame.node, frame.parent);
      continue;
    }
    frame.entered = true;
    if (enter(frame.node, frame.parent) === false) {
      stack.pop();
      leave?.(frame.node, frame.parent);
      continue;
    }
    const kids = childNodes(frame.node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], parent: frame.node, entered: false });
  }
}
