import type { IToken } from "chevrotain";
import type * as A from "./ast.ts";
import type { Release } from "./versions.ts";

/** Release-dependent checks made at bpftrace's parse level. */
export function checkProgram(_ast: A.Program, _tokens: IToken[], _target: Release): A.Diagnostic[] {
  return [];
}
