/**
 * Running a real bpftrace on many programs at once, for the oracle tests.
 *
 * Results are cached in the temp directory by content hash, but nothing depends
 * on that cache: every call writes its input to a file of its own, so two
 * concurrent calls on the same program (an already formatted program, duplicate
 * corpus files) never share or delete each other's input, and a cache entry is
 * written under a unique name and renamed into place, so a reader never sees half
 * of one.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ORACLE_CACHE_DIR = join(tmpdir(), "bt-fmt-oracle-cache");

export interface OracleOutput {
  failed: boolean;
  stdout: string;
}

/**
 * `bin ...args FILE` with `program` in FILE (a file, not `-e`: the bench programs
 * are larger than the argument-size limit), its result passed through `read` and
 * cached under `tag` + the program.
 */
export function runOracleCached<T>(
  bin: string,
  args: readonly string[],
  tag: string,
  program: string,
  read: (output: OracleOutput) => T,
): Promise<T> {
  mkdirSync(ORACLE_CACHE_DIR, { recursive: true });
  const key = createHash("sha256").update(`${tag}\0`).update(program).digest("hex");
  const cached = join(ORACLE_CACHE_DIR, `${key}.json`);
  try {
    return Promise.resolve(JSON.parse(readFileSync(cached, "utf8")) as T);
  } catch {
    // not cached yet (or unreadable): ask the oracle
  }
  const scratch = mkdtempSync(join(tmpdir(), "bt-oracle-"));
  const input = join(scratch, "program.bt");
  writeFileSync(input, program);
  return new Promise((resolve) => {
    execFile(bin, [...args, input], { timeout: 60_000, maxBuffer: 256 << 20 }, (err, stdout) => {
      rmSync(scratch, { recursive: true, force: true });
      const result = read({ failed: err !== null, stdout: String(stdout) });
      const partial = join(ORACLE_CACHE_DIR, `${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
      writeFileSync(partial, JSON.stringify(result));
      renameSync(partial, cached);
      resolve(result);
    });
  });
}

/** Runs `fn` over `items` with at most `width` calls under way at once. */
export async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}
