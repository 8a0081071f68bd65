import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | undefined;

/**
 * A full garbage collection now. After the check of a huge text (the parse of a 5 MB file leaves
 * ~100 MB of garbage in the old generation, its lint's reply ~20 MB of buffers), the server would
 * otherwise hold that memory until V8's memory reducer runs, seconds later or, while requests
 * keep coming, much later. V8's `gc` is reached without starting Node with --expose-gc: the flag
 * set at run time gives it to a new context, and is cleared again.
 */
export function collectGarbage(): void {
  if (!collect) {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
    setFlagsFromString("--no-expose-gc");
  }
  collect();
}
