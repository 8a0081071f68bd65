import { createRule } from "../rule.ts";

export default createRule({
  meta: {
    id: "debugf-in-production",
    description: "`debugf()` writes through bpf_trace_printk to the kernel's shared trace pipe: fine while debugging, not for scripts you keep; bpftrace warns.",
    type: "suggestion",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      debugf: "`debugf()` goes to the kernel's trace pipe (bpf_trace_printk), which is slow, limited to 3 arguments of a few types and shared by every BPF program. Use `printf()` for output you keep.",
    },
  },
  check(ctx) {
    for (const call of ctx.model.calls) {
      if (call.callee.name === "debugf" && !ctx.model.userCallables.has("debugf")) ctx.report({ messageId: "debugf", range: call.callee.range });
    }
  },
});
