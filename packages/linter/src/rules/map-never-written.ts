import { createRule } from "../rule.ts";

export default createRule({
  meta: {
    id: "map-never-written",
    description: "A map that is read, deleted from or cleared but never assigned anywhere is usually a misspelt map name; a declared map that is never used at all is left over.",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      never: "`{{name}}` is never assigned anywhere in this program, so this always reads zero/empty.{{hint}}",
      unused: "`{{name}}` is declared but never used. Remove the declaration, or use the map.",
    },
  },
  check(ctx) {
    const names = [...ctx.model.maps.keys()];
    for (const sym of ctx.model.maps.values()) {
      const uses = sym.uses.filter((u) => u.owner?.type !== "MacroDef");
      // `let @m = hash(n);` and nothing else (bpftrace: "Unused map"); an import may use it.
      if (sym.uses.length > 0 && sym.uses.every((u) => u.kind === "declare") && !ctx.model.hasImport) {
        ctx.report({ messageId: "unused", data: { name: sym.name }, range: sym.uses[0].ref.range });
        continue;
      }
      if (uses.length === 0 || uses.some((u) => u.kind === "write" || u.kind === "declare" || u.kind === "escape")) continue;
      const near = names.find((n) => n !== sym.name && close(n, sym.name) && ctx.model.maps.get(n)!.uses.some((u) => u.kind === "write"));
      // A read of one value is zero; the whole map (`print(@m)`, `for ($kv : @m)`) must exist. When nothing else can
      // write it (no import, no macro touching it) bpftrace refuses the program ("Undefined map").
      const whole = uses.find((u) => !u.access && (u.call !== undefined || ctx.model.parentOf(u.ref)?.type === "ForStatement"));
      const certain = whole !== undefined && !ctx.model.hasImport && uses.length === sym.uses.length;
      const at = certain ? whole : uses[0];
      ctx.report({ messageId: "never", data: { name: sym.name, hint: near ? ` Did you mean \`${near}\`?` : "" }, range: at.ref.range, ...(certain ? { severity: "error" as const } : {}) });
    }
  },
});

/** Edit distance ≤ 2. */
function close(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length] <= 2;
}
