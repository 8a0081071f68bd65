/**
 * Reading and rewriting program files for the tools that write them back (bt-fmt --write,
 * bt-lint --fix): every byte that is not rewritten stays as it was (source-bytes.ts), a
 * read-only file is refused, and a hard-linked file stays one file under all its names.
 */
import { closeSync, copyFileSync, constants, fsyncSync, ftruncateSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { decodeSource, encodeSource } from "./source-bytes.ts";

/** A file the tools will not rewrite, with a message fit for `file: error: …`. */
export class UnwritableFileError extends Error {}

export function readSourceFile(path: string): string {
  return decodeSource(readFileSync(path));
}

/**
 * How `path` may be rewritten: `"replace"` (a new file renamed over it, atomic) or `"in-place"`
 * (the file has other hard links, which a rename would split from it). Throws
 * UnwritableFileError for a read-only file: root may write one anyway, but a file marked
 * read-only (no write bit at all, e.g. 0444) was marked so on purpose.
 */
export function rewriteMode(path: string): "replace" | "in-place" {
  const st = statSync(path);
  if ((st.mode & 0o222) === 0) {
    throw new UnwritableFileError(`read-only file (mode ${(st.mode & 0o7777).toString(8).padStart(4, "0")}), not rewritten`);
  }
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_APPEND));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") throw new UnwritableFileError(`cannot write (${code}), not rewritten`);
    throw error;
  }
  return st.nlink > 1 ? "in-place" : "replace";
}

/**
 * Overwrites a hard-linked file through its own inode. A copy of the original is kept beside
 * it until the new text is on disk, so a failed write (a full disk) loses nothing: the error
 * names the copy.
 */
export function writeInPlace(path: string, text: string): void {
  const bytes = encodeSource(text);
  const backup = join(dirname(path), `.${basename(path)}.${process.pid}.orig`);
  copyFileSync(path, backup, constants.COPYFILE_EXCL);
  try {
    const fd = openSync(path, "r+");
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, written);
      ftruncateSync(fd, bytes.length);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new UnwritableFileError(`write failed (${(error as Error).message}); the original is kept in ${backup}`);
  }
  unlinkSync(backup);
}
