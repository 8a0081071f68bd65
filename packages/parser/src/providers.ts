// Provisional provider table; replaced by the language data (grammar/data/probes.json) lookups.
const ALIASES: Record<string, string> = {
  begin: "begin", end: "end", BEGIN: "begin", END: "end", kprobe: "kprobe", k: "kprobe", kretprobe: "kretprobe", kr: "kretprobe",
  uprobe: "uprobe", u: "uprobe", uretprobe: "uretprobe", ur: "uretprobe", usdt: "usdt", U: "usdt",
  tracepoint: "tracepoint", t: "tracepoint", rawtracepoint: "rawtracepoint", rt: "rawtracepoint",
  fentry: "fentry", f: "fentry", kfunc: "fentry", fexit: "fexit", fr: "fexit", kretfunc: "fexit",
  profile: "profile", p: "profile", interval: "interval", i: "interval", software: "software", s: "software",
  hardware: "hardware", h: "hardware", watchpoint: "watchpoint", w: "watchpoint", asyncwatchpoint: "asyncwatchpoint", aw: "asyncwatchpoint",
  iter: "iter", it: "iter", self: "self", test: "test", bench: "bench",
};

export function canonicalProvider(spelling: string): string | undefined {
  return ALIASES[spelling] ?? ALIASES[spelling.toLowerCase()];
}

const PROVIDER_SINCE: Record<string, string> = { rawtracepoint: "0.18", rt: "0.18", self: "0.22", bench: "0.24", test: "0.25", fentry: "0.20", f: "0.20", fexit: "0.20", fr: "0.20" };
const PROVIDER_REMOVED: Record<string, string> = { asyncwatchpoint: "0.25", aw: "0.25" };

/** Why `spelling` is not a probe type in `target`, or undefined when it is. */
export function providerAvailability(spelling: string, target: string): string | undefined {
  const cmp = (a: string, b: string) => Number(a.split(".")[1]) - Number(b.split(".")[1]);
  const exact = spelling in ALIASES || spelling === "BEGIN" || spelling === "END";
  if (cmp(target, "0.24") < 0) {
    if (spelling === "begin" || spelling === "end") return `lowercase \`${spelling}\` needs bpftrace ≥ 0.24 (write \`${spelling.toUpperCase()}\`); target is ${target}`;
    if (!exact) return `probe type \`${spelling}\` must be written in lowercase before bpftrace 0.24; target is ${target}`;
  }
  const key = exact ? spelling : spelling.toLowerCase();
  const since = PROVIDER_SINCE[key];
  if (since && cmp(target, since) < 0) return `probe type \`${spelling}\` needs bpftrace ≥ ${since}; target is ${target}`;
  const removed = PROVIDER_REMOVED[key];
  if (removed && cmp(target, removed) >= 0) return `probe type \`${spelling}\` was removed in bpftrace ${removed}; target is ${target}`;
  return undefined;
}
