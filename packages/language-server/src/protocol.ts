/**
 * The server's own protocol additions, shared with clients (the VS Code extension imports this
 * file); nothing here imports the server.
 */

/**
 * Notification sent whenever the release documents are checked against is settled (at start and
 * on each settings change): `bt.target` may say "installed", which only the server resolves.
 */
export const TARGET_NOTIFICATION = "bt/target";

export interface TargetNotification {
  /** `0.27` */
  release: string;
  /** The `bt.target` setting it came from (`installed` or a release). */
  setting: string;
}

/** `workspace/executeCommand` with `[documentUri]`: the script's attach points (AttachPointInfo[]). */
export const ATTACH_POINTS_COMMAND = "bt.attachPoints";

export interface AttachPointInfo {
  /** As written: `kprobe:do_nanosleep`. */
  text: string;
  /** Canonical provider (`kprobe`, `begin`), or null when unknown or wildcarded. */
  provider: string | null;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** Index of its probe among the script's probes (attach points of one probe share it). */
  probe: number;
}
