import { createRequire } from "node:module";
import type { MessagePort } from "node:worker_threads";
import { LARGE_STACK_MB, MAX_NESTING, declareLargeStack, onLargeStack, scanNestingDepth } from "./nesting.ts";

/**
 * Deep nesting on a large stack. bpftrace takes nesting (blocks, brackets, `if`s) thousands of
 * levels deep; parsing, linting and printing such a program recurses once per level, more than
 * Node's default stack (about 1 MB) holds. `node --stack-size` past the OS stack limit crashes
 * the process, so the work runs instead in a worker thread given its own stack
 * (`resourceLimits.stackSizeMb`), only for texts whose nesting needs it (scanNestingDepth).
 */

const JOB_KEY = "btLargeStackJob";

/**
 * Loaded on first use: a module loaded while bt-fmt's startup snapshot is built keeps state
 * that does not survive it (workers started from such a process fail in their bootstrap).
 */
function workerThreads(): typeof import("node:worker_threads") {
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  return (getBuiltin?.("node:worker_threads") ?? createRequire(import.meta.url)("node:worker_threads")) as typeof import("node:worker_threads");
}

interface JobRequest {
  job: string;
  input: unknown;
  port: MessagePort;
  done: Int32Array;
}

type JobReply = { ok: true; value: unknown } | { ok: false; message: string };

/** True when `text` nests deeper than MAX_NESTING and this thread's stack is the default one. */
export function needsLargeStack(text: string): boolean {
  return !onLargeStack() && scanNestingDepth(text) > MAX_NESTING;
}

/**
 * Runs `job` of the script `entry` (a file that calls serveLargeStackJob with that job) on a
 * thread with a LARGE_STACK_MB stack and waits for its result, synchronously: callers keep their
 * control flow and output order. The input and result are copied (structured clone).
 */
export function callOnLargeStack<R>(entry: string | URL, job: string, input: unknown): R {
  const { MessageChannel, Worker, receiveMessageOnPort } = workerThreads();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const request: JobRequest = { job, input, port: port2, done };
  const worker = new Worker(entry, {
    workerData: { [JOB_KEY]: request },
    transferList: [port2],
    resourceLimits: { stackSizeMb: LARGE_STACK_MB },
    stdout: false,
    stderr: false,
  });
  try {
    // The worker always answers (serveLargeStackJob catches everything); the wait is bounded (10
    // minutes) in case the thread is killed (out of memory) before it can. Short slices: a wake-up
    // was measured to be missed now and then (0.7 s lost with 1 s slices).
    for (let slices = 0; Atomics.load(done, 0) === 0 && slices < 30_000; slices++) Atomics.wait(done, 0, 0, 20);
    const reply = receiveMessageOnPort(port1)?.message as JobReply | undefined;
    if (!reply) throw new Error("the large-stack worker ended without a result (out of memory?)");
    if (!reply.ok) throw new Error(reply.message);
    return reply.value as R;
  } finally {
    port1.close();
    void worker.terminate();
  }
}

/**
 * In a worker started by callOnLargeStack: runs the requested job and answers, then returns true
 * (the caller's script must do nothing else). Elsewhere returns false.
 */
export function serveLargeStackJob(jobs: Record<string, (input: never) => unknown>): boolean {
  const { workerData, resourceLimits } = workerThreads();
  const request = (workerData as Record<string, JobRequest> | null | undefined)?.[JOB_KEY];
  if (!request) return false;
  declareLargeStack(resourceLimits.stackSizeMb);
  const answer = (reply: JobReply) => {
    request.port.postMessage(reply);
    Atomics.store(request.done, 0, 1);
    Atomics.notify(request.done, 0);
  };
  const fail = (error: unknown) => answer({ ok: false, message: error instanceof Error ? error.message : String(error) });
  try {
    const run = jobs[request.job];
    if (!run) throw new Error(`unknown large-stack job ${request.job}`);
    Promise.resolve(run(request.input as never)).then((value) => answer({ ok: true, value }), fail);
  } catch (error) {
    fail(error);
  }
  return true;
}
