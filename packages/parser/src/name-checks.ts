import type * as A from "./ast.ts";
import type { ReleaseChecker } from "./checks.ts";

/** Names bpftrace resolves at parse level in old releases (unknown functions before 0.24). */
export function checkNames(_ast: A.Program, _c: ReleaseChecker): void {}
