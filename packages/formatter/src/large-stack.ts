/**
 * Deep nesting, formatted on a large stack. A program nested deeper than the parser takes on
 * Node's default stack (MAX_NESTING) is formatted whole, parse and print, in a worker thread with
 * a large stack (the parser's callOnLargeStack), as deep as bpftrace takes it. Used by bt-fmt
 * and by the Prettier plugin; the worker runs the caller's own bundle, which serves the job.
 */
import { callOnLargeStack, serveLargeStackJob } from "@bt/parser";
import { BpftraceSyntaxError } from "./parser.ts";
import { format, type FormatOptions } from "./format.ts";
import { formatRange } from "./range.ts";

export interface FormatJob {
  text: string;
  range?: { start: number; end: number };
  options: FormatOptions;
}

type LargeStackResult = { formatted: string } | { syntaxErrors: BpftraceSyntaxError["diagnostics"] };

export function formatJob({ text, range, options }: FormatJob): Promise<string> {
  return range ? formatRange(text, range, options) : format(text, options);
}

/** The "format" job on a large stack: a syntax error crosses back as its diagnostics. */
async function formatOnLargeStack(job: FormatJob): Promise<LargeStackResult> {
  try {
    return { formatted: await formatJob(job) };
  } catch (err) {
    if (err instanceof BpftraceSyntaxError) return { syntaxErrors: err.diagnostics };
    throw err;
  }
}

/**
 * In a worker started by formatOnLargeStackFrom: formats the job and returns true (the calling
 * script must do nothing else). Elsewhere returns false.
 */
export function serveFormatOnLargeStack(): boolean {
  return serveLargeStackJob({ format: formatOnLargeStack });
}

/**
 * `job` formatted whole in a worker with a large stack running `entry` (a script that calls
 * serveFormatOnLargeStack first), waited for synchronously. Throws BpftraceSyntaxError as
 * formatting here would, past bpftrace's depth too.
 */
export function formatOnLargeStackFrom(entry: URL, job: FormatJob): string {
  const result = callOnLargeStack<LargeStackResult>(entry, "format", job);
  if ("syntaxErrors" in result) throw new BpftraceSyntaxError(result.syntaxErrors);
  return result.formatted;
}
