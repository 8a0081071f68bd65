/**
 * The V8 startup snapshot of bt-fmt (dist/bt-fmt.blob, see scripts/build.mjs and bin/bt-fmt.js).
 *
 * `node --build-snapshot dist/bt-fmt-bundle.cjs` loads the bundle, which calls
 * `prepareSnapshot` instead of running the CLI: it formats a program that uses most of the
 * grammar, so that Chevrotain's grammar analysis, its lookahead functions and Prettier's set-up
 * are all done and stored in the heap, then names the function a run from the snapshot starts
 * with. Such a run skips loading, compiling and initialising the bundle (about 20 ms of a
 * 70 ms run here).
 */
import { createRequire } from "node:module";
import { startupSnapshot } from "node:v8";
import { PIECE_CHARS, format } from "./format.ts";
import { setPackageRequire } from "./cli.ts";

/** Touches every statement and expression form, comments and long-line breaking. */
export const WARM_UP_PROGRAM = `#!/usr/bin/env bpftrace
#include <linux/sched.h>
config = { max_map_keys = 1024; }
macro twice(x) { x * 2 }
BEGIN { printf("start %s %d\\n", "x", 1); @s = (uint64)0; }
kprobe:do_sys_open, kretprobe:do_sys_open /pid != 0 && comm == "bash"/ {
  // line comment
  $a = arg0 + 1 - 2 * 3 / 4 % 5 << 1 >> 1 & 7 | 8 ^ 9; /* block */
  @m[tid, comm] = count(); @h = hist(nsecs - @s); @l = lhist($a, 0, 100, 10);
  if ($a > 1) { $b = $a ? 1 : 2; } else if ($a < 0) { delete(@m[tid, comm]); } else { $c = !$a; }
  $t = (1, "two"); $r = (x = 1); $i = $t.0; $f = ((struct task_struct *)curtask)->pid;
  $s = sizeof(int); $str = str(arg1); $u = -$a; $v = ~$a; $a++; --$a; $a += 2;
  while ($a < 10) { $a++; if ($a == 5) { break; } }
  unroll (2) { @x = 1; }
  for ($kv : @m) { print($kv); }
  printf("%-16s %6d %6d %6d %6d %6d %6d %6d %s\\n", comm, pid, tid, uid, gid, cpu, $a, $a, "aaaaaaaaaaaaaaaaaaaaaaaa");
}
uprobe:/bin/bash:readline { @[ustack] = count(); }
tracepoint:syscalls:sys_enter_openat { @[str(args.filename)] = count(); }
interval:s:1 { print(@m); clear(@m); }
END { exit(); }
`;

/**
 * The warm-up program with its probes repeated past the size format() cuts into pieces
 * (format.ts: twice PIECE_CHARS), so that the snapshot also holds that path's compiled code: a
 * run from the snapshot then compiles less of what a large file needs (big10.bt: median of 10
 * interleaved runs 1,591 -> 1,535 ms).
 */
export function largeWarmUpProgram(): string {
  const probes = WARM_UP_PROGRAM.slice(WARM_UP_PROGRAM.indexOf("BEGIN"));
  const head = WARM_UP_PROGRAM.slice(0, WARM_UP_PROGRAM.length - probes.length);
  return head + probes.repeat(Math.ceil((2.5 * PIECE_CHARS) / probes.length));
}

/** True when a snapshot is being built: the function a run from it starts with is then set. */
export function prepareSnapshot(runCli: () => Promise<void>): boolean {
  if (!startupSnapshot?.isBuildingSnapshot()) return false;
  // node takes the snapshot once the event loop is empty, after both formats
  void format(WARM_UP_PROGRAM).then(() => format(largeWarmUpProgram()));
  startupSnapshot.setDeserializeMainFunction(() => {
    // bin/bt-fmt.js passes its own path as argv[1], as a plain `node bin/bt-fmt.js` run has it.
    setPackageRequire(createRequire(process.argv[1] ?? __filename));
    void runCli();
  });
  return true;
}
