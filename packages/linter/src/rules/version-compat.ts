import type { Call, Expression, MapAccess, Node, Range } from "@bt/parser";
import { availableIn, compareReleases, language, walk } from "@bt/parser";
import { builtinFacts, configFacts, functionFacts, probeFacts } from "../lang.ts";
import { createRule } from "../rule.ts";
import type { RuleContext } from "../types.ts";

/** Type names the language data marks as renamed (`str_t` → `string` in 0.22): old name → new name and release. */
const TYPE_RENAMES = new Map(
  language.TYPES.filter((t) => t.renamedTo && t.removed).map((t) => [t.name, { name: t.renamedTo!, in: t.removed! }] as const),
);
/** New name → old name, for new names that did not exist before the rename (`string`, not `username_t`). */
const TYPE_RENAMES_BACK = new Map(
  [...TYPE_RENAMES]
    .filter(([, r]) => language.findType(r.name)?.since === r.in)
    .map(([old, r]) => [r.name, { name: old, in: r.in }] as const),
);

const ge = (target: string, v: string) => compareReleases(target, v) >= 0;

export default createRule({
  meta: {
    id: "version-compat",
    description:
      "Syntax, builtins, functions, probe types, type names and config keys must exist in the targeted bpftrace release; deprecated forms are flagged with exact rewrites.",
    type: "problem",
    defaultSeverity: "error",
    fixable: true,
    messages: {
      parser: "{{message}}",
      deleteTwoArgs: "`delete(@map, key)` needs bpftrace 0.22 (targeting {{target}}); write `{{fixed}}`.",
      deleteIndexed: "`delete(@map[key])` is deprecated since bpftrace 0.22; write `{{fixed}}`.",
      deleteMulti: "`delete()` of several map elements only existed in bpftrace 0.21; use one `delete` per element.",
      argsArrow: "`args` is a struct since bpftrace 0.19: write `args.{{field}}`.",
      argsDot: "`args` is a pointer before bpftrace 0.19 (targeting {{target}}): write `args->{{field}}`.",
      whileDeprecated: "`while` loops are deprecated since bpftrace 0.25; use `for ($i : a..b)`.",
      sargRemoved: "`{{name}}` was removed in bpftrace 0.25; read the stack instead: `*(reg(\"sp\") + {{offset}})`.",
      sargDeprecated: "`{{name}}` is deprecated since bpftrace 0.21 (removed in 0.25); read the stack instead: `*(reg(\"sp\") + {{offset}})`.",
      exitInLoop: "`exit()` inside a loop is an error since bpftrace 0.25; `break` out of the loop and call `exit()` after it.",
      typeRenamed: "Type `{{old}}` was renamed `{{new}}` in bpftrace {{version}}.",
      typeTooNew: "Type `{{new}}` needs bpftrace {{version}} (targeting {{target}}); it was called `{{old}}` before.",
      configRenamed: "Config `{{old}}` was renamed `{{new}}` in bpftrace {{version}}.",
      tooNew: "{{what}} `{{name}}` needs bpftrace {{since}} (targeting {{target}}).",
      removed: "{{what}} `{{name}}` was removed in bpftrace {{removed}} (targeting {{target}}).",
      deprecated: "{{what}} `{{name}}` is deprecated since bpftrace {{deprecated}}.",
    },
  },
  check(ctx) {
    const { target } = ctx;
    const parserRanges: Range[] = [];
    for (const d of ctx.parseDiagnostics) {
      parserRanges.push(d.range);
      if (d.code !== "version") continue;
      ctx.report({ messageId: "parser", data: { message: d.message }, range: d.range, severity: d.severity });
    }
    const covered = (r: Range) => parserRanges.some((p) => p.start.offset < r.end.offset && r.start.offset < p.end.offset);
    const report = (r: Parameters<RuleContext["report"]>[0]) => {
      if (!covered(r.range)) ctx.report(r);
    };

    const loops: Node[] = [];
    walk(
      ctx.ast,
      (node) => {
        switch (node.type) {
          case "WhileStatement":
            loops.push(node);
            if (ge(target, "0.25")) {
              const kw: Range = { start: node.range.start, end: { ...node.range.start, offset: node.range.start.offset + 5, column: node.range.start.column + 5 } };
              report({ messageId: "whileDeprecated", range: kw, severity: "warning" });
            }
            break;
          case "ForStatement":
            loops.push(node);
            break;
          case "Call":
            checkCall(ctx, node, target, report, loops.length > 0);
            break;
          case "FieldAccess":
            if (node.object.type === "Builtin" && node.object.name === "args") {
              const sep: Range = { start: node.object.range.end, end: node.field.range.start };
              if (node.arrow && ge(target, "0.19")) {
                report({
                  messageId: "argsArrow",
                  data: { field: node.field.name },
                  range: node.range,
                  severity: "info",
                  fix: { edits: [{ range: sep, text: "." }] },
                });
              } else if (!node.arrow && !ge(target, "0.19")) {
                report({
                  messageId: "argsDot",
                  data: { field: node.field.name, target },
                  range: node.range,
                  fix: { edits: [{ range: sep, text: "->" }] },
                });
              }
            }
            break;
          case "Builtin":
          case "Identifier": {
            const m = /^sarg(\d+)$/.exec(node.name);
            if (m && node.type === "Builtin") {
              const data = { name: node.name, offset: (Number(m[1]) + 1) * 8 };
              if (ge(target, "0.25")) report({ messageId: "sargRemoved", data, range: node.range, severity: "error" });
              else if (ge(target, "0.21")) report({ messageId: "sargDeprecated", data, range: node.range, severity: "warning" });
              break;
            }
            const parent = ctx.model.parentOf(node);
            // Plain names used as values: builtins with version facts.
            if (parent?.type === "Call" && parent.callee === node) break;
            if (parent?.type === "FieldAccess" && parent.field === node) break;
            if (parent?.type === "ConfigItem" || parent?.type === "RecordField" || parent?.type === "MacroDef" || parent?.type === "FnDef") break;
            const f = builtinFacts(node.name.replace(/^__builtin_/, ""));
            if (f) checkFacts(ctx, report, "Builtin", node.name, f, node.range);
            break;
          }
          case "NamedType": {
            const nameRange = namedTypeNameRange(ctx, node.range, node.name, node.tag);
            const renamed = TYPE_RENAMES.get(node.name);
            const older = TYPE_RENAMES_BACK.get(node.name);
            if (renamed && ge(target, renamed.in)) {
              report({ messageId: "typeRenamed", data: { old: node.name, new: renamed.name, version: renamed.in }, range: nameRange, fix: { edits: [{ range: nameRange, text: renamed.name }] } });
            } else if (older && !ge(target, older.in) && !node.tag) {
              report({ messageId: "typeTooNew", data: { old: older.name, new: node.name, version: older.in, target }, range: nameRange, fix: { edits: [{ range: nameRange, text: older.name }] } });
            }
            break;
          }
          case "ConfigItem": {
            const f = configFacts(node.key.name);
            if (f?.renamedTo && (!f.renamedIn || ge(target, f.renamedIn))) {
              report({ messageId: "configRenamed", data: { old: node.key.name, new: f.renamedTo, version: f.renamedIn ?? "0.20" }, range: node.key.range, fix: { edits: [{ range: node.key.range, text: f.renamedTo }] } });
            } else if (f) {
              checkFacts(ctx, report, "Config key", node.key.name, f, node.key.range);
            }
            break;
          }
          case "AttachPoint": {
            if (node.providerCanonical) {
              const f = probeFacts(node.providerCanonical);
              if (f) checkFacts(ctx, report, "Probe type", node.provider.value, f, node.provider.range);
            }
            return false;
          }
        }
        return true;
      },
      (node) => {
        if (node.type === "WhileStatement" || node.type === "ForStatement") loops.pop();
      },
    );
  },
});

function checkFacts(
  ctx: RuleContext,
  report: RuleContext["report"],
  what: string,
  name: string,
  f: { since?: string; removed?: string; deprecated?: string },
  range: Range,
): void {
  const { target } = ctx;
  if (f.since && !availableIn(target, f.since)) report({ messageId: "tooNew", data: { what, name, since: f.since, target }, range });
  else if (f.removed && !availableIn(target, undefined, f.removed)) report({ messageId: "removed", data: { what, name, removed: f.removed, target }, range });
  else if (f.deprecated && ge(target, f.deprecated)) report({ messageId: "deprecated", data: { what, name, deprecated: f.deprecated }, range, severity: "warning" });
}

function namedTypeNameRange(ctx: RuleContext, r: Range, name: string, tag?: string): Range {
  const text = ctx.source(r);
  const i = tag ? text.indexOf(name, tag.length) : text.indexOf(name);
  const at = i < 0 ? 0 : i;
  return {
    start: { offset: r.start.offset + at, line: r.start.line, column: r.start.column + at },
    end: { offset: r.start.offset + at + name.length, line: r.start.line, column: r.start.column + at + name.length },
  };
}

function keysText(ctx: RuleContext, keys: Expression[]): string {
  return keys.map((k) => ctx.source(k)).join(", ");
}

function checkCall(ctx: RuleContext, call: Call, target: string, report: RuleContext["report"], inLoop: boolean): void {
  const name = call.callee.name;
  if (name === "exit" && inLoop && ge(target, "0.25")) {
    report({ messageId: "exitInLoop", range: call.range });
  }
  if (name === "delete") {
    const [a, b] = call.args;
    if (call.args.length === 2 && a.type === "MapRef" && !ge(target, "0.22")) {
      const key = ctx.model.unwrap(b as Expression);
      const keyText = key.type === "TupleExpression" ? keysText(ctx, key.elements) : ctx.source(b);
      const fixed = `delete(${a.name}[${keyText}])`;
      report({ messageId: "deleteTwoArgs", data: { target, fixed }, range: call.range, fix: { edits: [{ range: call.range, text: fixed }] } });
    } else if (call.args.length === 1 && a.type === "MapAccess" && ge(target, "0.22")) {
      const acc = a as MapAccess;
      const keyText = acc.keys.length === 1 ? ctx.source(acc.keys[0]) : `(${keysText(ctx, acc.keys)})`;
      const fixed = `delete(${acc.map.name}, ${keyText})`;
      report({ messageId: "deleteIndexed", data: { fixed }, range: call.range, severity: "info", fix: { edits: [{ range: call.range, text: fixed }] } });
    } else if (call.args.length >= 2 && call.args.every((x) => x.type === "MapAccess") && target !== "0.21") {
      report({ messageId: "deleteMulti", range: call.range });
    }
  }
  const f = functionFacts(name);
  if (f) checkFacts(ctx, report, "Function", name, f, call.callee.range);
}
