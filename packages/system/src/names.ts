/**
 * Sorted name lists: prefix queries by binary search (completion over ~60,000 kernel functions),
 * bpftrace wildcards narrowed by their literal prefix, and "did you mean" by edit distance.
 */

export class NameIndex {
  /**
   * The names sorted and without duplicates, written one after another in one string: name `i`
   * is `text.slice(starts[i], starts[i + 1])`. Kept this way rather than as a Set and an array of
   * strings, the 121,000 kernel function names take ~3.4 MB instead of ~12 MB (a string of 32–40
   * bytes and one or two table slots each), and hold no slice of the text they were read from.
   */
  private readonly text: string;
  private readonly starts: Uint32Array;
  private readonly closestCache = new Map<string, string[]>();
  /**
   * Wildcard answers, as the positions of the names matched: a linter running on every edit asks
   * the same patterns again (a scan is up to 120,000 tests), and `kprobe:*`-like patterns match
   * tens of thousands of names, which as strings would take ~40 bytes each.
   */
  private readonly matchCache = new Map<string, Uint32Array>();

  constructor(names: Iterable<string>) {
    const sorted = Array.from(names).sort();
    const starts = new Uint32Array(sorted.length + 1);
    let count = 0;
    let length = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0 && sorted[i] === sorted[i - 1]) continue;
      sorted[count++] = sorted[i];
      length += sorted[i].length;
      starts[count] = length;
    }
    sorted.length = count;
    this.text = sorted.join("");
    this.starts = count + 1 === starts.length ? starts : starts.slice(0, count + 1);
  }

  /** Sorted, without duplicates: a new array each time (the index keeps no strings of its own). */
  get names(): readonly string[] {
    return this.range(0, this.size);
  }

  get size(): number {
    return this.starts.length - 1;
  }

  has(name: string): boolean {
    const i = this.lowerBound(name);
    return i < this.size && this.compareAt(i, name) === 0;
  }

  /** Every name, in order (made one at a time). */
  *[Symbol.iterator](): Generator<string> {
    for (let i = 0; i < this.size; i++) yield this.at(i);
  }

  private at(i: number): string {
    return this.text.slice(this.starts[i], this.starts[i + 1]);
  }

  private range(from: number, to: number): string[] {
    const out = new Array<string>(to - from);
    for (let i = from; i < to; i++) out[i - from] = this.at(i);
    return out;
  }

  /** Name `i` against `text` in UTF-16 code units, the order of Array.prototype.sort(): negative when the name sorts first. */
  private compareAt(i: number, text: string): number {
    const start = this.starts[i];
    const length = this.starts[i + 1] - start;
    const common = Math.min(length, text.length);
    for (let k = 0; k < common; k++) {
      const d = this.text.charCodeAt(start + k) - text.charCodeAt(k);
      if (d !== 0) return d;
    }
    return length - text.length;
  }

  private startsWithAt(i: number, prefix: string): boolean {
    const start = this.starts[i];
    return this.starts[i + 1] - start >= prefix.length && this.text.startsWith(prefix, start);
  }

  /** Index of the first name ≥ `text`. */
  private lowerBound(text: string): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareAt(mid, text) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Names starting with `prefix`, in order, at most `limit`. */
  withPrefix(prefix: string, limit = Infinity): string[] {
    const from = this.lowerBound(prefix);
    let to = from;
    while (to < this.size && to - from < limit && this.startsWithAt(to, prefix)) to++;
    return this.range(from, to);
  }

  /** How many names start with `prefix`. */
  countWithPrefix(prefix: string): number {
    if (prefix === "") return this.size;
    const after = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    return this.lowerBound(after) - this.lowerBound(prefix);
  }

  /** Names matched by a bpftrace wildcard (`*` any run of characters), sorted, at most `limit`. */
  matching(pattern: string, limit = Infinity): string[] {
    if (!hasWildcard(pattern)) return this.has(pattern) ? [pattern] : [];
    return Array.from(this.matched(pattern, limit), (i) => this.at(i));
  }

  /** Positions of the names a wildcard matches, remembered. */
  private matched(pattern: string, limit: number): Uint32Array {
    const key = `${limit}:${pattern}`;
    let hit = this.matchCache.get(key);
    if (!hit) {
      hit = this.scan(pattern, limit);
      this.matchCache.set(key, hit);
    }
    return hit;
  }

  private scan(pattern: string, limit: number): Uint32Array {
    const literal = literalPrefix(pattern);
    const re = wildcardToRegExp(pattern);
    const out: number[] = [];
    for (let i = this.lowerBound(literal); i < this.size && out.length < limit && this.startsWithAt(i, literal); i++) {
      if (re.test(this.at(i))) out.push(i);
    }
    return Uint32Array.from(out);
  }

  /** How many names a wildcard matches. */
  countMatching(pattern: string): number {
    if (!hasWildcard(pattern)) return this.has(pattern) ? 1 : 0;
    return this.matched(pattern, Infinity).length;
  }

  /** Up to `limit` names within a small edit distance of `name`, closest first (remembered: a scan of 120,000 names takes ~50 ms). */
  closest(name: string, limit = 3): string[] {
    const key = `${limit}:${name}`;
    let hit = this.closestCache.get(key);
    if (!hit) {
      hit = closestNames(name, this, limit);
      this.closestCache.set(key, hit);
    }
    return hit;
  }
}

export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

function literalPrefix(pattern: string): string {
  const m = /[*?[]/.exec(pattern);
  return m ? pattern.slice(0, m.index) : pattern;
}

/** `tcp_*` → /^tcp_.*$/; `?` one character and `[...]` a class, as in bpftrace's glob matching. */
export function wildcardToRegExp(pattern: string): RegExp {
  let src = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") src += ".*";
    else if (c === "?") src += ".";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 1);
      if (close < 0) src += "\\[";
      else {
        src += `[${pattern.slice(i + 1, close).replace(/\\/g, "\\\\")}]`;
        i = close;
      }
    } else src += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${src}$`, "s");
}

/** The order of Array.prototype.sort() without a comparator (UTF-16 code units). */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Levenshtein distance, giving up (returning `max + 1`) once it must exceed `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** Whether `name` can be had from `candidate` by deleting characters (letters left out while typing). */
function isSubsequence(name: string, candidate: string): boolean {
  let i = 0;
  for (let j = 0; j < candidate.length && i < name.length; j++) if (name[i] === candidate[j]) i++;
  return i === name.length;
}

/**
 * Names close to `name`: at most a third of its length in edits (at least 1, at most 3), closest
 * first. Letters left out (`opn` for `open`, `openat`) count half an edit, so
 * `sys_enter_opn` suggests `sys_enter_open` and `sys_enter_openat` before `sys_enter_bpf`. Only
 * names within two edits of the best are kept.
 */
export function closestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const max = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  const scored: { n: string; score: number }[] = [];
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(name, c, max);
    // Every edit of a subsequence is an insertion of a left-out letter: half an edit each.
    if (d <= max) scored.push({ n: c, score: isSubsequence(name, c) ? d / 2 : d });
  }
  scored.sort((x, y) => x.score - y.score || compareCodeUnits(x.n, y.n));
  const best = scored[0]?.score ?? 0;
  return scored.filter((s) => s.score <= best + 2).slice(0, limit).map((s) => s.n);
}
