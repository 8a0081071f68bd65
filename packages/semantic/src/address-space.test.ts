import { parse, walk, type Expression, type Node } from "@bt/parser";
import { describe, expect, it } from "vitest";
import { combineAddressSpaces, createAddressSpaces } from "./address-space.ts";
import { buildModel } from "./index.ts";

/** The address space of the first expression written `text` in `code`, with no integer types known beyond the data. */
function spaceIn(code: string, text: string) {
  const { ast } = parse(code, { target: "0.27" });
  const model = buildModel(ast, "0.27");
  let found: Expression | undefined;
  walk(ast, (n: Node) => {
    if (!found && "range" in n && code.slice(n.range.start.offset, n.range.end.offset) === text && n.type !== "ExpressionStatement") found = n as Expression;
  });
  if (!found) throw new Error(`no node ${text}`);
  const literalsAreInts = (e: Expression) => e.type === "IntegerLiteral" || e.type === "Cast";
  return createAddressSpaces(model, literalsAreInts).spaceOf(found);
}

describe("address spaces", () => {
  it("combines as bpftrace 0.27 does: user with kernel mismatches and gives none; none takes the other side", () => {
    expect(combineAddressSpaces("user", "kernel")).toEqual({ mismatch: true, result: "none" });
    expect(combineAddressSpaces("user", "user")).toEqual({ mismatch: false, result: "user" });
    expect(combineAddressSpaces("none", "kernel")).toEqual({ mismatch: false, result: "kernel" });
    expect(combineAddressSpaces("user", undefined)).toEqual({ mismatch: false, result: undefined });
  });

  it("gives a tracepoint:syscalls probe's args user space, through fields, derefs, variables, maps and integer casts", () => {
    const code = "tracepoint:syscalls:sys_enter_nanosleep { @t[tid] = args.rqtp; $n = (*args.rqtp).tv_nsec; } tracepoint:syscalls:sys_exit_nanosleep { $t = @t[tid]; $x = (uint64)$t.tv_nsec; }";
    expect([spaceIn(code, "args.rqtp"), spaceIn(code, "(*args.rqtp).tv_nsec"), spaceIn(code, "$t"), spaceIn(code, "(uint64)$t.tv_nsec")]).toEqual(["user", "user", "user", "user"]);
  });

  it("knows a sys_exit_* event's args.ret is an integer, so its comparison with a literal mixes spaces", () => {
    expect(spaceIn("tracepoint:syscalls:sys_exit_read { if (args.ret == 0) {} }", "args.ret == 0")).toBe("none");
    expect(spaceIn("tracepoint:syscalls:sys_exit_read { if (args.ret == 0) {} }", "0")).toBe("kernel");
  });

  it("leaves unknown what it cannot be sure of: other tracepoints' args, a variable given two spaces, a field of unknown type, other builtins", () => {
    expect(spaceIn("tracepoint:sched:sched_switch { $p = args.prev_pid; }", "args.prev_pid")).toBeUndefined();
    expect(spaceIn("tracepoint:syscalls:sys_exit_read { $x = args.ret; $x = 1; print($x); }", "$x")).toBeUndefined();
    expect(spaceIn("tracepoint:syscalls:sys_enter_openat { $f = args.flags == 64; }", "args.flags == 64")).toBeUndefined();
    expect(spaceIn("tracepoint:syscalls:sys_enter_openat { $p = pid; }", "pid")).toBeUndefined();
  });
});
