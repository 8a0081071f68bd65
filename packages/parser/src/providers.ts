import { availableIn } from "./versions.ts";
import { findProbe, probeAvailable, PROBE_CASE_INSENSITIVE_SINCE } from "./language/index.ts";

/** Canonical provider for a spelling (`kr` → `kretprobe`, `BEGIN` → `begin`), ignoring releases. */
export function canonicalProvider(spelling: string): string | undefined {
  return findProbe(spelling)?.probe.name;
}

const availabilityCache = new Map<string, string | undefined>();

/** Why `spelling` is not a probe type in `target`, or undefined when it is. */
export function providerAvailability(spelling: string, target: string): string | undefined {
  const key = `${target} ${spelling}`;
  if (availabilityCache.has(key)) return availabilityCache.get(key);
  const answer = computeAvailability(spelling, target);
  if (availabilityCache.size < 4096) availabilityCache.set(key, answer);
  return answer;
}

function computeAvailability(spelling: string, target: string): string | undefined {
  if (probeAvailable(spelling, target)) return undefined;
  const match = findProbe(spelling);
  if (!match) return `Invalid probe type: ${spelling}`;
  const { probe } = match;
  if (!availableIn(target, probe.since, probe.removed)) {
    return probe.removed && !availableIn(target, undefined, probe.removed)
      ? `probe type \`${spelling}\` was removed in bpftrace ${probe.removed}; target is ${target}`
      : `probe type \`${spelling}\` needs bpftrace ≥ ${probe.since}; target is ${target}`;
  }
  const exact = (match.via === "alias" ? probe.aliases : probe.spellings)?.find((s) => s.text === spelling);
  if (exact?.since && !availableIn(target, exact.since)) {
    const older = probe.spellings?.find((s) => s.text !== spelling && availableIn(target, s.since, s.removed));
    return `\`${spelling}\` needs bpftrace ≥ ${exact.since}${older ? ` (write \`${older.text}\`)` : ""}; target is ${target}`;
  }
  if (exact?.removed) return `\`${spelling}\` was removed in bpftrace ${exact.removed}; target is ${target}`;
  if (match.caseFolded) {
    return `probe type \`${spelling}\` must be written \`${probe.spellings?.find((s) => availableIn(target, s.since, s.removed))?.text ?? probe.name}\` before bpftrace ${PROBE_CASE_INSENSITIVE_SINCE}; target is ${target}`;
  }
  return `Invalid probe type: ${spelling}`;
}
