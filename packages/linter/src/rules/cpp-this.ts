import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { AttachPoint, Call, Expression, Node } from "@bt/parser";
import { walk } from "@bt/parser";
import { createRule } from "../rule.ts";
import type { RuleContext } from "../types.ts";
import { DECIMAL_CONVERSIONS, FORMAT_FUNCTIONS, parseFormat } from "./format.ts";
import { intValue } from "./util.ts";

type Verdict = { member: true; how: "symbols" | "assumed"; why: string } | { member: false };

const symbolCache = new Map<string, string[] | null>();

/** Raw (mangled) defined symbols of an ELF file via `nm` (argument array, no shell); null if unreadable. */
export function readSymbols(path: string): string[] | null {
  if (symbolCache.has(path)) return symbolCache.get(path)!;
  let out: string[] | null = null;
  for (const args of [["--defined-only", path], ["-D", "--defined-only", path]]) {
    try {
      const text = execFileSync("nm", args, { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "ignore"], maxBuffer: 256 * 1024 * 1024 });
      const names = text.split("\n").map((l) => l.trim().split(/\s+/).pop() ?? "").filter(Boolean);
      if (names.length > 0) {
        out = names;
        break;
      }
    } catch {
      /* try the next form */
    }
  }
  symbolCache.set(path, out);
  return out;
}

/** `ns::Cls` → `2ns3Cls` (Itanium nested-name components). */
function mangleParts(parts: string[]): string {
  return parts.map((p) => `${p.length}${p}`).join("");
}

/** Splits `ns::Cls::method(int) const` into qualifier parts and the method name. */
export function splitQualified(func: string): { qualifier: string[]; name: string } | undefined {
  const noParams = func.replace(/\(.*$/, "").trim();
  const parts = noParams.split("::");
  if (parts.length < 2 || parts.some((p) => !/^[A-Za-z_~][A-Za-z0-9_]*$/.test(p))) return undefined;
  return { qualifier: parts.slice(0, -1), name: parts[parts.length - 1] };
}

/**
 * Member or free function, from the binary's symbols: a class has constructors, destructors,
 * a vtable or typeinfo, and `_ZNK…` names are const members. Without the binary: assume a member.
 */
export function classify(ap: AttachPoint, readFs: boolean): Verdict & { fn?: string } {
  const fn = ap.func?.value ?? "";
  const q = splitQualified(fn);
  if (!q) return { member: false };
  const qual = q.qualifier.join("::");
  const bin = ap.target?.value;
  if (!readFs || !bin || ap.targetKind !== "path" || !existsSync(bin)) {
    return { member: true, how: "assumed", why: bin ? `${bin} is not readable here` : "no binary path", fn };
  }
  const syms = readSymbols(bin);
  if (!syms) return { member: true, how: "assumed", why: `no symbols could be read from ${bin}`, fn };
  const m = mangleParts(q.qualifier);
  const isClass = syms.some(
    (s) =>
      s.startsWith(`_ZN${m}C`) || // constructors
      s.startsWith(`_ZN${m}D`) || // destructors
      s === `_ZTV${q.qualifier.length > 1 ? `N${m}E` : m}` || // vtable
      s === `_ZTI${q.qualifier.length > 1 ? `N${m}E` : m}` || // typeinfo
      s.startsWith(`_ZNK${m}`), // const member functions
  );
  if (isClass) return { member: true, how: "symbols", why: `${qual} is a class in ${bin}`, fn };
  return { member: false };
}

export default createRule({
  meta: {
    id: "cpp-this",
    description:
      "In a uprobe on a C++ member function, `arg0` is the implicit `this` pointer and the first declared parameter is `arg1`.",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      member:
        "`{{fn}}` is a C++ member function ({{why}}): `arg0` is the implicit `this` pointer, not its first parameter; the first parameter is `arg1`.",
      assumed:
        "`arg0` is used as a value, but in a C++ member function it is the implicit `this` pointer and the first parameter is `arg1` (bt-lint assumed `{{fn}}` is a member function: {{why}}).",
    },
  },
  check(ctx) {
    for (const p of ctx.model.probes) {
      const verdicts = p.context.cppAttachPoints.map((ap) => classify(ap, ctx.readFileSystem));
      const v = verdicts.find((x) => x.member && x.how === "symbols") ?? verdicts.find((x) => x.member);
      if (!v || !v.member) continue;
      for (const use of misusedArg0(ctx, p.node)) {
        ctx.report({ messageId: v.how === "symbols" ? "member" : "assumed", data: { fn: v.fn ?? "", why: v.why }, range: use.range });
      }
    }
  },
});

const isArg0 = (e: Node | undefined): boolean => !!e && e.type === "Builtin" && e.name === "arg0";

/** `arg0` used as a parameter value: printed as a number or string, str()'d, compared with a number, used as a size or aggregated. */
function misusedArg0(ctx: RuleContext, root: Node): Node[] {
  const out: Node[] = [];
  walk(root, (node) => {
    if (node.type === "AttachPoint") return false;
    if (node.type === "Call") {
      const c = node as Call;
      const name = c.callee.name;
      if (FORMAT_FUNCTIONS.has(name) && c.args[0]?.type === "StringLiteral") {
        const { specifiers } = parseFormat(c.args[0].value);
        specifiers.forEach((s, i) => {
          const arg = c.args[i + 1] as Expression | undefined;
          if (arg && isArg0(ctx.model.unwrap(arg)) && (DECIMAL_CONVERSIONS.has(s.conversion) || s.conversion === "s")) out.push(ctx.model.unwrap(arg));
        });
      } else if (name === "str" || name === "buf") {
        c.args.forEach((a) => {
          if (isArg0(ctx.model.unwrap(a as Expression))) out.push(ctx.model.unwrap(a as Expression));
        });
      } else if (["hist", "lhist", "sum", "avg", "min", "max", "stats"].includes(name)) {
        const a = c.args[0] as Expression | undefined;
        if (a && isArg0(ctx.model.unwrap(a))) out.push(ctx.model.unwrap(a));
      }
    } else if (node.type === "BinaryExpression" && ["==", "!=", "<", ">", "<=", ">="].includes(node.operator)) {
      const l = ctx.model.unwrap(node.left);
      const r = ctx.model.unwrap(node.right);
      if (isArg0(l) && (intValue(r) ?? 0) !== 0) out.push(l);
      if (isArg0(r) && (intValue(l) ?? 0) !== 0) out.push(r);
    }
    return true;
  });
  return out;
}
