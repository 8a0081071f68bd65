import { createRule } from "../rule.ts";

/** Canonical providers (`kfunc`/`kretfunc` attach points have `fentry`/`fexit` as theirs). */
const PROVIDERS = new Set(["kprobe", "kretprobe", "uprobe", "uretprobe", "fentry", "fexit"]);

export default createRule({
  meta: {
    id: "broad-wildcard",
    description: "A function wildcard that matches everything (`kprobe:*`, `uprobe:lib:*`) attaches to thousands of functions: slow to start, heavy on the system.",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    scope: "attach-points",
    messages: {
      broad: "`{{raw}}` attaches to every function{{where}}: thousands of probes, slow to attach and costly while running. Narrow the pattern (e.g. `{{provider}}:{{prefix}}tcp_*`).",
    },
  },
  check(ctx) {
    for (const p of ctx.model.probes) {
      for (const ap of p.node.attachPoints) {
        const prov = ap.providerCanonical;
        if (!prov || !PROVIDERS.has(prov) || !ap.func) continue;
        if (!/^\*+$/.test(ap.func.value)) continue;
        const where = ap.target ? ` of ${ap.target.value}` : ap.module ? ` of module ${ap.module.value}` : " in the kernel";
        const prefix = ap.target ? `${ap.target.value}:` : ap.module ? `${ap.module.value}:` : "";
        ctx.report({ messageId: "broad", data: { raw: ap.raw, where, provider: ap.provider.value, prefix }, range: ap.range });
      }
    }
  },
});
