import { statSync } from "node:fs";

/**
 * `device:inode:mtime:size` of a file, or undefined when it cannot be stat'ed. A new kernel, a
 * rebuilt binary or a reinstalled library gets a new identity, so caches keyed by it never serve
 * stale facts, and an unchanged file is read once per process.
 */
export function fileIdentity(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.dev}:${st.ino}:${st.mtimeNs}:${st.size}`;
  } catch {
    return undefined;
  }
}

/** Values computed from a file, kept while the file keeps its identity. */
export class FileCache<T> {
  private readonly entries = new Map<string, { identity: string; value: T }>();

  /** `load(path)` once per identity of `path`; undefined when the file does not exist. */
  get(path: string, load: (path: string) => T): T | undefined {
    const identity = fileIdentity(path);
    if (identity === undefined) {
      this.entries.delete(path);
      return undefined;
    }
    const hit = this.entries.get(path);
    if (hit && hit.identity === identity) return hit.value;
    const value = load(path);
    this.entries.set(path, { identity, value });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
