/**
 * The ELF files a running process has mapped (`/proc/PID/maps`): with `-p PID`, bpftrace looks for
 * a USDT probe in every one of them (the executable and its libraries), not only in the executable.
 */
import { isElf } from "./elf.ts";
import { readText } from "./read-text.ts";
import type { Outcome } from "./userspace.ts";

/** Paths of the ELF files mapped into process `pid`, in the order of first mapping, each once. */
export function mappedFiles(pid: number, procRoot = "/proc"): Outcome<{ paths: string[] }> {
  const maps = readText(`${procRoot}/${pid}/maps`);
  if (!maps.ok) return { ok: false, reason: `${maps.reason} (no such process, or not allowed)` };
  const seen = new Set<string>();
  // `address perms offset dev inode path`: the path is everything after the fifth field.
  for (const line of maps.text.split("\n")) {
    const m = /^\S+\s+\S+\s+\S+\s+\S+\s+\d+\s+(\/.*)$/.exec(line);
    if (m && !m[1].endsWith(" (deleted)")) seen.add(m[1]);
  }
  return { ok: true, paths: [...seen].filter((p) => isElf(p)) };
}
