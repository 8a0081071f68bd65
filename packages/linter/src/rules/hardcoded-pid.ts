import { createRule } from "../rule.ts";

export default createRule({
  meta: {
    id: "hardcoded-pid",
    description: "`uprobe:/proc/<pid>/exe:…` with a literal pid only works for that one process run; use `-p PID` (or `$1`).",
    type: "suggestion",
    defaultSeverity: "warning",
    fixable: false,
    scope: "attach-points",
    messages: {
      pid: "`{{path}}` hard-codes pid {{pid}}: the script only works while that process lives. Run with `-p {{pid}}` and probe the binary (or `/proc/$1/exe` with the pid as a parameter).",
    },
  },
  check(ctx) {
    for (const p of ctx.model.probes) {
      for (const ap of p.node.attachPoints) {
        const m = ap.target && /^\/proc\/(\d+)\/exe$/.exec(ap.target.value);
        if (m) ctx.report({ messageId: "pid", data: { path: ap.target!.value, pid: m[1] }, range: ap.target!.range });
      }
    }
  },
});
