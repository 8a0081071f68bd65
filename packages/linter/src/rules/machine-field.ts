import type { AttachPoint, Expression, FieldAccess, Node } from "@bt/parser";
import { closestNames, hasWildcard, probeParameters, type Machine } from "@bt/system";
import { walk } from "@bt/parser";
import { createRule } from "../rule.ts";
import { didYouMean, hasPositional } from "./machine-facts.ts";

interface Field {
  name: string;
  type: string;
}

/**
 * Fields `args` has at one attach point, or undefined when this machine cannot tell: a wildcarded
 * event or function, a glob of binaries, or a uretprobe (this rule checks the args of uprobes only).
 */
function argsFields(machine: Machine, ap: AttachPoint): Field[] | undefined {
  const provider = ap.providerCanonical;
  if (!provider || hasPositional(ap) || provider === "uretprobe" || !ap.func || hasWildcard(ap.func.value)) return undefined;
  if (provider === "tracepoint" && ap.category && hasWildcard(ap.category.value)) return undefined;
  if (provider === "uprobe" && (ap.targetKind === "glob" || ap.targetKind === "all")) return undefined;
  return probeParameters(machine, ap)?.params;
}

/** `struct file *` → `file`; `const struct path *` → `path`; `pid_t` → `pid_t` (a typedef may name a struct); arrays and `**` → undefined. */
function structNameOf(type: string): string | undefined {
  const t = type.replace(/\b(const|volatile|restrict)\b/g, "").replace(/\s+/g, " ").trim();
  if (/\[/.test(t) || /\*\s*\*/.test(t)) return undefined;
  const m = /^(?:(?:struct|union)\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*\*?$/.exec(t);
  return m?.[1];
}

function listFields(fields: Field[]): string {
  const names = fields.map((f) => f.name).filter((n) => !n.startsWith("common_"));
  return names.length > 12 ? `${names.slice(0, 12).join(", ")}, … (${names.length} in all)` : names.join(", ");
}

export default createRule({
  meta: {
    id: "machine-field",
    description: "With `--machine`: a tracepoint or function argument (`args.filenme`) or a kernel struct field (`curtask->pidd`) that does not exist on this machine, with the real fields.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      args: "`args.{{field}}`: `{{probe}}` has no argument `{{field}}` on this machine.{{suggest}} It has: {{fields}}.",
      common: "`args.{{field}}`: bpftrace does not let BPF read the common tracepoint fields (`common_*`); use a builtin such as `tid`, `pid` or `cpu`.",
      struct: "`{{type}}` has no field `{{field}}` on this machine.{{suggest}} Its fields: {{fields}}.",
    },
  },
  check(ctx) {
    const machine = ctx.machine;
    if (!machine) return;
    // A struct the program defines itself (`struct task_struct { int x; }`) replaces the kernel's for bpftrace.
    const ownTypes = new Set<string>();
    walk(ctx.ast, (n) => {
      if (n.type === "CDefinition" && n.name) ownTypes.add(n.name);
      return n.type === "Program";
    });
    const structCache = new Map<string, Field[] | undefined>();
    const structFields = (name: string) => {
      if (ownTypes.has(name)) return undefined;
      if (!structCache.has(name)) {
        const f = machine.structFields(name);
        structCache.set(name, f && f.length > 0 ? f : undefined);
      }
      return structCache.get(name);
    };

    for (const p of ctx.model.probes) {
      // Arguments are looked up on first use of `args`: for a uprobe that means reading the binary's DWARF.
      let argsKnown: { ap: AttachPoint; fields: Field[] }[] | undefined;
      const knownArgs = () => {
        if (argsKnown) return argsKnown;
        const perAttachPoint = p.node.attachPoints.map((ap) => ({ ap, fields: argsFields(machine, ap) }));
        const known = perAttachPoint.filter((x) => x.fields !== undefined) as { ap: AttachPoint; fields: Field[] }[];
        // When one attach point's arguments are unknown, a field missing from another's may be meant for it.
        return (argsKnown = known.length === perAttachPoint.length ? known : []);
      };

      /** The C type of an expression, as far as this machine can say. */
      const typeOf = (e: Expression): string | undefined => {
        switch (e.type) {
          case "Parenthesized":
            return typeOf(e.expression);
          case "Identifier":
          case "Builtin":
            return e.name === "curtask" || e.name === "__builtin_curtask" ? "struct task_struct *" : undefined;
          case "Call":
            return e.callee.name === "curtask" && e.args.length === 0 ? "struct task_struct *" : undefined;
          case "Variable": {
            // `$t = curtask; $t->pidd`: the struct the type checker inferred for the variable.
            const symbol = ctx.model.symbolOf(e);
            const t = symbol && ctx.model.types.variableType(symbol);
            if (t?.k === "struct") return `${t.tag} ${t.name}`;
            return t?.k === "pointer" && t.to.k === "struct" ? `${t.to.tag} ${t.to.name} *` : undefined;
          }
          case "Cast": {
            const t = e.typeRef;
            if (t.type !== "NamedType" || (t.tag !== "struct" && t.tag !== "union")) return undefined;
            return `${t.tag} ${t.name}${t.suffixes.map((s) => (s.kind === "pointer" ? " *" : "[]")).join("")}`;
          }
          case "FieldAccess":
            return fieldOf(e)?.type;
          default:
            return undefined;
        }
      };

      const reported = new Set<FieldAccess>();
      /** The field a field access names (reporting it when it does not exist). */
      const fieldOf = (fa: FieldAccess): Field | undefined => {
        const name = fa.field.name;
        if (fa.object.type === "Builtin" && fa.object.name === "args") {
          let found: Field | undefined;
          for (const { ap, fields } of knownArgs()) {
            if (ap.providerCanonical === "tracepoint" && name.startsWith("common_") && fields.some((x) => x.name === name)) {
              if (!reported.has(fa)) {
                reported.add(fa);
                ctx.report({ messageId: "common", data: { field: name }, range: fa.field.range });
              }
              return undefined;
            }
            const f = fields.find((x) => x.name === name);
            if (f) {
              found ??= f;
              continue;
            }
            if (!reported.has(fa)) {
              reported.add(fa);
              const suggest = didYouMean(closestNames(name, fields.map((x) => x.name).filter((n) => !n.startsWith("common_"))), (s) => `\`args.${s}\``);
              ctx.report({ messageId: "args", data: { field: name, probe: ap.raw, suggest, fields: listFields(fields) || "(none)" }, range: fa.field.range });
            }
          }
          return found;
        }
        const objectType = typeOf(fa.object);
        const struct = objectType && structNameOf(objectType);
        const fields = struct ? structFields(struct) : undefined;
        if (!objectType || !fields) return undefined;
        const f = fields.find((x) => x.name === name);
        if (!f && !reported.has(fa)) {
          reported.add(fa);
          const suggest = didYouMean(closestNames(name, fields.map((x) => x.name)));
          ctx.report({ messageId: "struct", data: { type: objectType.replace(/\s*\*$/, ""), field: name, suggest, fields: listFields(fields) }, range: fa.field.range });
        }
        return f;
      };

      const visit = (root: Node) =>
        walk(root, (n) => {
          if (n.type === "FieldAccess") fieldOf(n);
        });
      if (p.node.predicate) visit(p.node.predicate);
      visit(p.node.body);
    }
  },
});
