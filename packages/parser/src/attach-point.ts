import type { AttachPart, AttachPoint, Position, Range, TargetKind } from "./ast.ts";
import { canonicalProvider } from "./providers.ts";

/** The line and column of a source offset (the AST builder's LineIndex). */
export type PositionAt = (offset: number) => Position;

/**
 * The second stage of attach-point parsing (grammar reference §8.2): the raw
 * text captured by the lexer is split on `:` outside quotes and each part is
 * given its role for the provider. A quoted part may span lines, so part
 * positions come from `position`.
 */
export function parseAttachPoint(raw: string, range: Range, position: PositionAt): AttachPoint {
  const pieces = splitOutsideQuotes(raw, ":");
  const base = range.start.offset;
  const part = (index: number): AttachPart => {
    const { text, start } = pieces[index];
    return makePart(text, base + start, position);
  };

  const ap: AttachPoint = { type: "AttachPoint", raw, range, provider: part(0), parts: [] };
  // `name=provider:…` names the probe (0.25+).
  const eq = pieces[0].text.indexOf("=");
  if (eq > 0 && eq < pieces[0].text.length - 1 && !pieces[0].text.startsWith('"')) {
    ap.probeName = makePart(pieces[0].text.slice(0, eq), base, position);
    ap.provider = makePart(pieces[0].text.slice(eq + 1), base + eq + 1, position);
  }
  const parts: AttachPart[] = new Array(pieces.length - 1);
  for (let i = 1; i < pieces.length; i++) parts[i - 1] = part(i);
  ap.parts = parts;
  const canonical = canonicalProvider(ap.provider.value);
  if (canonical) ap.providerCanonical = canonical;
  const p = ap.parts;

  switch (canonical) {
    case "kprobe":
    case "kretprobe": {
      if (p.length >= 2) ap.module = p[0];
      const fn = p.at(-1);
      if (fn) assignFunction(ap, fn, position);
      break;
    }
    case "uprobe":
    case "uretprobe": {
      let rest = p;
      if (p.length >= 2) {
        const target = p[0];
        const at = indexOutsideQuotes(target.raw, "@");
        if (at >= 0) {
          ap.target = subPart(target, 0, at, position);
          ap.sourceFile = subPart(target, at + 1, target.raw.length, position);
          ap.sourceLine = p[1];
          if (p[2]) ap.sourceColumn = p[2];
          ap.targetKind = targetKind(ap.target.value);
          break;
        }
        ap.target = target;
        ap.targetKind = targetKind(target.value);
        rest = p.slice(1);
      }
      if (rest.length >= 2) {
        ap.language = rest[0];
        rest = rest.slice(1);
      }
      if (rest[0]) assignFunction(ap, rest[0], position);
      break;
    }
    case "usdt": {
      if (p.length >= 2) {
        ap.target = p[0];
        ap.targetKind = targetKind(p[0].value);
      }
      if (p.length >= 3) ap.usdtProvider = p[1];
      if (p.length >= 1) ap.usdtProbe = p.at(-1);
      break;
    }
    case "tracepoint":
      if (p.length >= 2) {
        ap.category = p[0];
        ap.func = p[1];
      } else if (p[0]) ap.func = p[0];
      break;
    case "rawtracepoint":
    case "fentry":
    case "fexit":
      if (p.length >= 2) ap.module = p[0];
      if (p.length >= 1) ap.func = p.at(-1);
      break;
    case "profile":
    case "interval":
      if (p.length >= 2) {
        ap.unit = p[0];
        ap.count = p[1];
      } else if (p[0]) ap.count = p[0];
      break;
    case "software":
    case "hardware":
      if (p[0]) ap.event = p[0];
      if (p[1]) ap.count = p[1];
      break;
    case "watchpoint":
    case "asyncwatchpoint":
      if (p[0]) {
        if (/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(p[0].value)) ap.address = p[0];
        else assignFunction(ap, p[0], position);
      }
      if (p[1]) ap.length = p[1];
      if (p[2]) ap.mode = p[2];
      break;
    case "iter":
    case "self":
    case "test":
    case "bench":
      if (p[0]) ap.func = p.at(-1);
      break;
    default:
      break;
  }
  return ap;
}

/** `func`, `func+OFFSET` or a numeric address. */
function assignFunction(ap: AttachPoint, fn: AttachPart, position: PositionAt): void {
  const plus = indexOutsideQuotes(fn.raw, "+");
  if (plus > 0) {
    ap.func = subPart(fn, 0, plus, position);
    ap.offset = subPart(fn, plus + 1, fn.raw.length, position);
  } else if (!fn.quoted && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(fn.value)) {
    ap.address = fn;
  } else {
    ap.func = fn;
  }
}

export function targetKind(target: string): TargetKind {
  if (target === "*") return "all";
  if (/^\/proc\/([0-9]+|self)\/exe$/.test(target)) return "proc-exe";
  if (target.includes("*") || (target.includes("[") && target.includes("]"))) return "glob";
  if (target.includes("/")) return "path";
  return "library";
}

interface Piece {
  text: string;
  start: number;
}

function splitOutsideQuotes(raw: string, sep: string): Piece[] {
  const out: Piece[] = [];
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inQuote && c === "\\") {
      i++;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && c === sep) {
      out.push({ text: raw.slice(start, i), start });
      start = i + 1;
    }
  }
  out.push({ text: raw.slice(start), start });
  return out;
}

function indexOutsideQuotes(raw: string, ch: string): number {
  let inQuote = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inQuote && c === "\\") {
      i++;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && c === ch) return i;
  }
  return -1;
}

function unquote(text: string): { value: string; quoted: boolean } {
  if (!text.includes('"')) return { value: text, quoted: false };
  let value = "";
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      inQuote = !inQuote;
      continue;
    }
    if (inQuote && c === "\\" && i + 1 < text.length) {
      value += text[++i];
      continue;
    }
    value += c;
  }
  return { value, quoted: true };
}

/** The part `text` that starts at source offset `start`. */
function makePart(text: string, start: number, position: PositionAt): AttachPart {
  const { value, quoted } = unquote(text);
  return { raw: text, value, quoted, range: { start: position(start), end: position(start + text.length) } };
}

function subPart(part: AttachPart, from: number, to: number, position: PositionAt): AttachPart {
  return makePart(part.raw.slice(from, to), part.range.start.offset + from, position);
}
