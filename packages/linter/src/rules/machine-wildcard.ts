import { hasWildcard } from "@bt/system";
import { createRule } from "../rule.ts";
import { attachPointSpaces } from "./machine-facts.ts";

/** bpftrace's default `max_probes`: more matches than this and it refuses to attach. */
const MAX_PROBES = 1024;

export default createRule({
  meta: {
    id: "machine-wildcard",
    description: "With `--machine`: a wildcard attach point that matches nothing on this machine, or more probes than bpftrace attaches by default.",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    scope: "attach-points",
    messages: {
      none: "`{{pattern}}` matches no {{what}} on this machine (from {{source}}): the probe attaches nowhere.",
      tooMany: "`{{pattern}}` matches {{count}} {{what}}s on this machine: more than bpftrace's max_probes ({{max}}), so it will refuse to attach; slow and costly even with a higher limit. Narrow the pattern.",
    },
  },
  check(ctx) {
    for (const { ap, result } of attachPointSpaces(ctx)) {
      if ("problem" in result) continue;
      const { space } = result;
      if (!hasWildcard(space.value) || space.partial) continue;
      // `kprobe:*` alone is broad-wildcard's finding.
      if (/^\*+$/.test(space.part.value)) continue;
      const count = space.names.matching(space.value, MAX_PROBES + 1).length;
      // A wildcard in a tracepoint's category is outside the event part: mark the whole attach point.
      const range = hasWildcard(space.part.value) ? space.part.range : ap.range;
      if (count === 0) {
        ctx.report({ messageId: "none", data: { pattern: space.value, what: space.what, source: space.source }, range });
      } else if (count > MAX_PROBES) {
        const total = space.names.matching(space.value).length;
        ctx.report({ messageId: "tooMany", data: { pattern: space.value, what: space.what, count: total, max: MAX_PROBES }, range });
      }
    }
  },
});
