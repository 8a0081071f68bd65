/** bpftrace releases this toolkit knows, oldest first. */
export const RELEASES = ["0.16", "0.17", "0.18", "0.19", "0.20", "0.21", "0.22", "0.23", "0.24", "0.25", "0.26", "0.27"] as const;

export type Release = (typeof RELEASES)[number];

export const LATEST_RELEASE: Release = "0.27";

/** Negative when a < b, 0 when equal, positive when a > b (`"0.9"` < `"0.17"`). */
export function compareReleases(a: string, b: string): number {
  if (a === b) return 0;
  const pa = releaseParts(a);
  const pb = releaseParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Release numbers split once: every check of every node compares releases. */
const partsByRelease = new Map<string, number[]>();

function releaseParts(release: string): number[] {
  let parts = partsByRelease.get(release);
  if (!parts) {
    parts = release.split(".").map(Number);
    if (partsByRelease.size < 256) partsByRelease.set(release, parts);
  }
  return parts;
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

/**
 * Reading `bpftrace --version`, shared by bt-lint (`--target installed`), the language server
 * (`bt.target: "installed"`) and bt-run, so that all three accept the same output and pick the
 * same release for it.
 */
export interface InstalledBpftrace {
  /** The version as printed, without the `v`: `0.23.2`, `0.19`. */
  version: string;
  /** `major.minor`: `0.23`, also for releases the toolkit does not know (`0.31`). */
  release: string;
  /** The release to check scripts against: `release` when known, else the nearest known one. */
  target: Release;
}

/** A line `bpftrace v0.23.2` (`v`, the patch level and a suffix such as `-rc1` optional). */
const VERSION_LINE = /^bpftrace v?(\d+)\.(\d+)((?:\.\d+)?)\S*\s*$/m;

/**
 * The version in the output of `bpftrace --version`, or undefined when there is no
 * `bpftrace vX.Y.Z` line (so a wrapper printing something else cannot pick the target).
 * Releases outside the modelled range are clamped: a newer bpftrace is checked as the newest
 * known release, an older one as the oldest.
 */
export function parseBpftraceVersion(text: string): InstalledBpftrace | undefined {
  const m = VERSION_LINE.exec(text.trim());
  if (!m) return undefined;
  const release = `${Number(m[1])}.${m[2]}`;
  const version = `${release}${m[3]}`;
  const target = toRelease(release) ?? (compareReleases(release, RELEASES[0]) < 0 ? RELEASES[0] : LATEST_RELEASE);
  return { version, release, target };
}
