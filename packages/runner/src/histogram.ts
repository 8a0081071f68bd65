/**
 * Terminal rendering of bpftrace maps from normalised JSON events: histograms with aligned
 * columns, and bucket labels in time units (ns/µs/ms/s) when the map holds durations.
 *
 * Layout follows bpftrace's own text (`[lo, hi)  count |@@@@|`) so output stays familiar, with
 * two deliberate differences: the label and count columns are as wide as the widest entry (not a
 * fixed 16/8), and a non-zero bucket always gets at least one `@` so rare values stay visible.
 */
import type { Bucket, MapKey, NormalizedEvent, TimeUnit } from "./events.ts";

export const BAR_WIDTH = 52;

const UNIT_NS: Record<TimeUnit, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
const DISPLAY_UNITS: [number, string][] = [
  [1e9, "s"],
  [1e6, "ms"],
  [1e3, "µs"],
  [1, "ns"],
];

/** `8388608` ns → `8.39ms`; `131072` ns → `131µs`; `2` s → `2s`. At most three significant digits. */
export function formatDuration(value: number, unit: TimeUnit): string {
  if (value === 0) return "0";
  const ns = value * UNIT_NS[unit];
  const sign = ns < 0 ? "-" : "";
  const abs = Math.abs(ns);
  // Seconds are the largest unit shown; below a nanosecond there is nothing finer to show.
  let idx = DISPLAY_UNITS.findIndex(([scale]) => abs >= scale);
  if (idx < 0) idx = DISPLAY_UNITS.length - 1;
  let [scale, name] = DISPLAY_UNITS[idx];
  let text = threeDigits(abs / scale);
  if (Number(text) >= 1000 && idx > 0) {
    [scale, name] = DISPLAY_UNITS[idx - 1];
    text = threeDigits(abs / scale);
  }
  return `${sign}${text}${name}`;
}

function threeDigits(v: number): string {
  if (v >= 100) return String(Math.round(v));
  if (v >= 10) return String(Math.round(v * 10) / 10);
  return String(Math.round(v * 100) / 100);
}

/** bpftrace's bucket number style: exact multiples of 1024ⁿ get K/M/G/T/P, others stay plain. */
export function formatCount(n: number): string {
  const suffixes = ["", "K", "M", "G", "T", "P"];
  let i = 0;
  let v = n;
  while (i < suffixes.length - 1 && v !== 0 && Math.abs(v) >= 1024 && v % 1024 === 0) {
    v /= 1024;
    i++;
  }
  return `${v}${suffixes[i]}`;
}

/** `[lo, hi)` label of one bucket; inclusive bpftrace bounds become half-open like bpftrace's text. */
export function bucketLabel(b: Bucket, unit?: TimeUnit): string {
  const fmt = (n: number) => (unit ? formatDuration(n, unit) : formatCount(n));
  if (b.min === null && b.max === null) return "(..., ...)";
  if (b.min === null) return `(..., ${fmt(b.max! + 1)})`;
  if (b.max === null) return `[${fmt(b.min)}, ...)`;
  if (b.min === b.max) return `[${fmt(b.min)}]`;
  return `[${fmt(b.min)}, ${fmt(b.max + 1)})`;
}

export interface Columns {
  label: number;
  count: number;
}

/** Column widths that fit every bucket of these histograms (so all keys of a map line up). */
export function columnsFor(histograms: readonly (readonly Bucket[])[], unit?: TimeUnit): Columns {
  let label = 0;
  let count = 0;
  for (const buckets of histograms) {
    for (const b of buckets) {
      label = Math.max(label, [...bucketLabel(b, unit)].length);
      count = Math.max(count, String(b.count).length);
    }
  }
  return { label, count };
}

/** Lines of one histogram (no header), columns aligned, bars scaled to the largest bucket. */
export function renderBuckets(buckets: readonly Bucket[], unit?: TimeUnit, columns = columnsFor([buckets], unit), width = BAR_WIDTH): string[] {
  const labels = buckets.map((b) => bucketLabel(b, unit));
  const counts = buckets.map((b) => String(b.count));
  const lw = columns.label;
  const cw = columns.count;
  const max = Math.max(0, ...buckets.map((b) => b.count));
  return buckets.map((b, i) => {
    let bar = max > 0 ? Math.floor((b.count / max) * width) : 0;
    if (b.count > 0 && bar === 0) bar = 1;
    const label = labels[i] + " ".repeat(lw - [...labels[i]].length);
    return `${label} ${counts[i].padStart(cw)} |${"@".repeat(bar)}${" ".repeat(width - bar)}|`;
  });
}

function header(map: string, key: MapKey): string {
  return key === null ? `${map}:` : `${map}[${key}]:`;
}

function formatValue(v: unknown): string {
  if (Array.isArray(v)) return `(${v.map(formatValue).join(", ")})`;
  if (typeof v === "string") return v;
  if (v !== null && typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/**
 * Text for one normalised event, as bt-run prints it in the terminal. Printed text passes
 * through unchanged; maps print one `@m[key]: value` line per entry; histograms print a
 * header per key then the bucket lines and a blank line. Events of unknown types are printed as
 * the JSON bpftrace sent, so no output is lost.
 */
export function renderEvent(ev: NormalizedEvent): string {
  switch (ev.type) {
    case "text":
      return ev.text;
    case "line":
      return `${ev.text}\n`;
    case "value":
      return `${formatValue(ev.value)}\n`;
    case "map":
      return ev.entries.map((e) => `${header(ev.map, e.key)} ${formatValue(e.value)}\n`).join("");
    case "stats":
      return ev.entries
        .map((e) => `${header(ev.map, e.key)} count ${e.count}, average ${e.average}, total ${e.total}\n`)
        .join("");
    case "hist": {
      const columns = columnsFor(ev.entries.map((e) => e.buckets), ev.unit);
      return ev.entries.map((e) => `${header(ev.map, e.key)}\n${renderBuckets(e.buckets, ev.unit, columns).join("\n")}\n\n`).join("");
    }
    case "lost":
      return `Lost ${ev.events} events\n`;
    case "attached":
      return "";
    case "other":
      // An event this bt-run does not know: shown as bpftrace sent it rather than lost.
      return `${JSON.stringify(ev.raw)}\n`;
  }
}
