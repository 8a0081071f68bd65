import { closeSync, openSync, readFileSync, readSync } from "node:fs";

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
    return { ok: false, reason: reasonOf(path, err) };
  }
}

function reasonOf(path: string, err: unknown): string {
  return `${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
}

const CHUNK_BYTES = 64 * 1024;

/**
 * Reads a text file line by line (latin1, without the newlines) through one small buffer, with
 * readText's outcomes. For the long listings of /proc and tracefs (kallsyms: 5 MB): reading one
 * whole (a file of unknown size is read in 64 KB pieces and then joined) left ~20 MB more resident
 * in the process after it was freed, read this way ~6 MB.
 */
export function readLines(path: string, onLine: (line: string) => void): { ok: true } | { ok: false; reason: string } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    return { ok: false, reason: reasonOf(path, err) };
  }
  try {
    const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    let rest = "";
    for (let n = readSync(fd, buffer, 0, CHUNK_BYTES, null); n > 0; n = readSync(fd, buffer, 0, CHUNK_BYTES, null)) {
      const text = rest + buffer.toString("latin1", 0, n);
      let start = 0;
      for (let newline = text.indexOf("\n"); newline >= 0; newline = text.indexOf("\n", start)) {
        onLine(text.slice(start, newline));
        start = newline + 1;
      }
      rest = text.slice(start);
    }
    if (rest !== "") onLine(rest);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: reasonOf(path, err) };
  } finally {
    closeSync(fd);
  }
}
