/**
 * Names bpftrace's parser itself turns into builtins (grammar reference §2.3).
 * They can never be a cast's type name, the first field of a record or a
 * macro parameter; every other "builtin" (`comm`, `retval`, …) is a plain
 * identifier resolved later.
 */
const PARSER_BUILTINS = new Set([
  "args", "ctx", "kstack", "ustack", "nsecs", "pid", "tid",
  "__builtin_comm", "__builtin_cpid", "__builtin_cpu", "__builtin_dw_ustack", "__builtin_elapsed",
  "__builtin_func", "__builtin_ncpus", "__builtin_probe", "__builtin_retval", "__builtin_usermode",
]);

const NUMBERED_BUILTIN = /^s?arg[0-9]+$/;

export function isParserBuiltinName(name: string): boolean {
  if (PARSER_BUILTINS.has(name)) return true;
  // Only `arg…` and `sarg…` can be numbered builtins: every other name skips the regular expression.
  const first = name.charCodeAt(0);
  return (first === 97 || first === 115) && NUMBERED_BUILTIN.test(name);
}
