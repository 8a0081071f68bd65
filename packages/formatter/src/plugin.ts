/**
 * The Prettier plugin's bundle (dist/index.js): the plugin, and, in a worker it starts for a
 * deeply nested program, the formatting of that program on the worker's large stack.
 */
import { serveFormatOnLargeStack } from "./large-stack.ts";
import { useLargeStackEntry } from "./index.ts";

export * from "./index.ts";
export { default } from "./index.ts";

if (!serveFormatOnLargeStack()) useLargeStackEntry(new URL(import.meta.url));
