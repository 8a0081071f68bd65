/** bpftrace releases this toolkit knows, oldest first. */
export const RELEASES = ["0.16", "0.17", "0.18", "0.19", "0.20", "0.21", "0.22", "0.23", "0.24", "0.25", "0.26", "0.27"] as const;

export type Release = (typeof RELEASES)[number];

export const LATEST_RELEASE: Release = "0.27";

/** Negative when a < b, 0 when equal, positive when a > b (`"0.9"` < `"0.17"`). */
export function compareReleases(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `0.23.2`, `v0.23.2`, `bpftrace v0.23.2`, `0.23` → `0.23`; undefined when not a known release. */
export function toRelease(text: string): Release | undefined {
  const m = /(\d+)\.(\d+)/.exec(text);
  if (!m) return undefined;
  const r = `${Number(m[1])}.${m[2]}`;
  return (RELEASES as readonly string[]).includes(r) ? (r as Release) : undefined;
}

/** Whether something added in `since` and removed in `removed` exists in `target`. */
export function availableIn(target: string, since?: string, removed?: string): boolean {
  if (since && compareReleases(target, since) < 0) return false;
  if (removed && compareReleases(target, removed) >= 0) return false;
  return true;
}
