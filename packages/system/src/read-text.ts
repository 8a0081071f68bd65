import { readFileSync } from "node:fs";

export type ReadOutcome = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Reads a text file, turning "absent" and "not allowed" into a reason instead of a throw: the
 * machine's files are optional sources (tracefs needs root; kernels with lockdown refuse
 * available_filter_functions even to root).
 */
export function readText(path: string): ReadOutcome {
  try {
    return { ok: true, text: readFileSync(path, "latin1") };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: `${path}: ${code ?? (err as Error).message}` };
  }
}
