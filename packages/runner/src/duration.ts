/**
 * `--duration` values: `30s`, `500ms`, `2m`, `1h`, `1m30s`, or a bare number of seconds.
 * Returns milliseconds, or an error message naming what was wrong.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

export function parseDuration(text: string): DurationResult {
  const input = text.trim();
  const bad = (): DurationResult => ({
    ok: false,
    message: `invalid duration "${text}": use a number with a unit, like 30s, 500ms, 2m, 1h or 1m30s`,
  });
  if (input === "") return bad();
  if (/^\d+(\.\d+)?$/.test(input)) return finish(Number(input) * 1000, text);
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < input.length) {
    part.lastIndex = pos;
    const m = part.exec(input);
    if (!m) return bad();
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = part.lastIndex;
  }
  return finish(total, text);
}

function finish(ms: number, text: string): DurationResult {
  if (!Number.isFinite(ms) || ms <= 0) return { ok: false, message: `invalid duration "${text}": it must be longer than 0` };
  return { ok: true, ms: Math.round(ms) };
}
