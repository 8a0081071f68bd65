import { globSync } from "tinyglobby";
import { basename } from "node:path";
import { createRule } from "../rule.ts";

const NIX = /^\/nix\/store\/([^/]*)(\/.*)?$/;

/** `libc.so.6` → `libc`, `libssl.so*` → `libssl`. */
function libraryName(path: string): string | undefined {
  const m = /^(lib[A-Za-z0-9_+-]+?)(?:-[\d.]+)?\.so/.exec(basename(path));
  return m?.[1];
}

export function countMatches(pattern: string): number {
  try {
    return globSync(pattern, { absolute: true, onlyFiles: true, followSymbolicLinks: true, expandDirectories: false }).length;
  } catch {
    return -1;
  }
}

export default createRule({
  meta: {
    id: "nix-store-path",
    description:
      "Attach points into `/nix/store/<hash>-name/…` (hard-coded or globbed hash) break on other machines and after the next nix update; a glob can attach to several versions at once.",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    scope: "attach-points",
    messages: {
      hardcoded:
        "`{{path}}` hard-codes a nix store hash: it breaks on every other machine and after the next nix update. {{suggest}}",
      glob:
        "`{{path}}` globs over the nix store: it breaks on other machines and can match several versions at once (and attach to each). {{suggest}}{{matches}}",
    },
  },
  check(ctx) {
    for (const p of ctx.model.probes) {
      for (const ap of p.node.attachPoints) {
        const t = ap.target;
        if (!t) continue;
        const m = NIX.exec(t.value);
        if (!m) continue;
        const lib = libraryName(t.value);
        const func = ap.func?.value ?? "FUNC";
        const provider = ap.provider.value;
        const suggest = lib
          ? `Use the library name (\`${provider}:${lib}:${func}\`) or a running process (\`-p PID\` with \`${provider}:/proc/PID/exe:${func}\`, or a path from \`$(nix eval …)\` passed as \`$1\`).`
          : `Pass the path as a positional parameter (\`${provider}:$1:${func}\`) or attach to a running process (\`-p PID\`, \`${provider}:/proc/PID/exe:${func}\`).`;
        if (ap.targetKind === "glob") {
          let matches = "";
          if (ctx.readFileSystem) {
            const n = countMatches(t.value);
            if (n >= 0) matches = ` The glob matches ${n} file${n === 1 ? "" : "s"} on this machine now.`;
          }
          ctx.report({ messageId: "glob", data: { path: t.value, suggest, matches }, range: t.range });
        } else {
          ctx.report({ messageId: "hardcoded", data: { path: t.value, suggest }, range: t.range });
        }
      }
    }
  },
});
