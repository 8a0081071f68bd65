/**
 * Probe context: what a probe's attach points are, so checks can ask "is `retval` valid here",
 * "is `arg0` the C++ `this` here".
 */
import type { AttachPoint, Probe } from "@bt/parser";

export interface ProbeContext {
  attachPoints: AttachPoint[];
  /** Canonical providers, one per attach point; undefined where unknown or wildcarded. */
  providers: (string | undefined)[];
  /** Whether every attach point has a known canonical provider. */
  allKnown: boolean;
  /** Attach points with a `cpp:` language part (or a `::`-qualified function before 0.19's explicit form). */
  cppAttachPoints: AttachPoint[];
  /**
   * Whether every attach point is `begin` or `end`: the probe fires only at start or exit.
   * Vacuously true for a probe without attach points (rules that need one check `attachPoints`).
   */
  beginEndOnly: boolean;
}

export function probeContextOf(probe: Probe): ProbeContext {
  const providers = probe.attachPoints.map((ap) => ap.providerCanonical);
  return {
    attachPoints: probe.attachPoints,
    providers,
    allKnown: providers.every((p) => p !== undefined),
    beginEndOnly: providers.every((p) => p === "begin" || p === "end"),
    cppAttachPoints: probe.attachPoints.filter(
      (ap) => (ap.providerCanonical === "uprobe" || ap.providerCanonical === "uretprobe") && ap.language?.value === "cpp",
    ),
  };
}
