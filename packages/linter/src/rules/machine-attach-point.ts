import { closestNames, hasWildcard } from "@bt/system";
import { createRule } from "../rule.ts";
import { attachPointSpaces, didYouMean } from "./machine-facts.ts";

export default createRule({
  meta: {
    id: "machine-attach-point",
    description: "With `--machine`: an attach point that does not exist on this machine (`kprobe:vfs_readx`, `tracepoint:syscalls:sys_enter_opn`, `uprobe:/bin/bash:readlinex`), with the closest real names.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    scope: "attach-points",
    messages: {
      missing: "No {{what}} `{{name}}` on this machine (from {{source}}): bpftrace will fail to attach.{{suggest}}",
      target: "{{message}}: bpftrace will fail to attach `{{raw}}`.",
    },
  },
  check(ctx) {
    for (const { ap, result } of attachPointSpaces(ctx)) {
      if ("problem" in result) {
        ctx.report({ messageId: "target", data: { message: result.problem.message, raw: ap.raw }, range: result.problem.part.range });
        continue;
      }
      const { space } = result;
      if (space.partial || hasWildcard(space.value) || space.names.has(space.value)) continue;
      // A tracepoint name is suggested from its own category first: `sys_enter_opn` → `sys_enter_open`.
      const category = space.value.includes(":") ? space.value.slice(0, space.value.indexOf(":") + 1) : "";
      const sameCategory = category ? space.names.withPrefix(category) : [];
      const close = sameCategory.length > 0 ? closestNames(space.value, sameCategory) : space.names.closest(space.value);
      ctx.report({
        messageId: "missing",
        data: { what: space.what, name: space.value, source: space.source, suggest: didYouMean(close) },
        range: space.part.range,
      });
    }
  },
});
