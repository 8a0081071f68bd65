// Provisional provider table; replaced by the language data (grammar/data/probes.json) lookups.
const ALIASES: Record<string, string> = {
  begin: "begin", end: "end", kprobe: "kprobe", k: "kprobe", kretprobe: "kretprobe", kr: "kretprobe",
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
