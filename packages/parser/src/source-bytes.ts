/**
 * Source files as bytes ⇄ text without losing a byte.
 *
 * bpftrace reads programs as bytes: a string or a comment may hold bytes that
 * are not UTF-8 (Latin-1 text, binary escapes typed raw), and `bpftrace --fmt`
 * keeps them. Node's UTF-8 decoding turns each into U+FFFD, so a tool that
 * reads, edits and writes a file back would replace them. Here every byte of
 * an invalid sequence becomes a lone low surrogate U+DC80–U+DCFF (the byte plus
 * 0xDC00, the "surrogateescape" of Python's PEP 383) and turns back into the
 * same byte on encoding. Valid UTF-8 never decodes to a lone surrogate, so the
 * mapping is exact both ways; the text keeps one UTF-16 unit per invalid byte.
 * A byte-order mark is kept as U+FEFF (the parser reports it: bpftrace rejects it).
 */

const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** First UTF-16 unit of the escapes (byte 0x80 → U+DC80); bytes below 0x80 are always valid. */
const ESCAPE_BASE = 0xdc00;

/** Whether `code` is one of the escapes `decodeSource` makes for an invalid byte. */
export function isEscapedByte(code: number): boolean {
  return code >= 0xdc80 && code <= 0xdcff;
}

/** The byte an escape stands for (`isEscapedByte(code)` must hold). */
export function escapedByteValue(code: number): number {
  return code - ESCAPE_BASE;
}

/** Length of the valid UTF-8 sequence at `i`, or 0 when the byte there starts none (RFC 3629, as TextDecoder checks). */
function validSequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i];
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < bytes.length && bytes[i + k] >= lo && bytes[i + k] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    // E0 needs A0..BF (no overlong forms), ED needs 80..9F (no UTF-16 surrogates)
    const ok = cont(1, b0 === 0xe0 ? 0xa0 : 0x80, b0 === 0xed ? 0x9f : 0xbf) && cont(2);
    return ok ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const ok = cont(1, b0 === 0xf0 ? 0x90 : 0x80, b0 === 0xf4 ? 0x8f : 0xbf) && cont(2) && cont(3);
    return ok ? 4 : 0;
  }
  return 0;
}

/** Decodes a file's bytes; every byte that is not part of valid UTF-8 becomes its escape. */
export function decodeSource(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    // invalid UTF-8 somewhere: decode the valid runs and escape the rest, byte by byte
  }
  const parts: string[] = [];
  let runStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const n = validSequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > runStart) parts.push(lenientDecoder.decode(bytes.subarray(runStart, i)));
    parts.push(String.fromCharCode(ESCAPE_BASE + bytes[i]));
    i++;
    runStart = i;
  }
  if (i > runStart) parts.push(lenientDecoder.decode(bytes.subarray(runStart, i)));
  return parts.join("");
}

/** A lone escape: not the second half of a surrogate pair. */
const LONE_ESCAPE_SOURCE = "(?<![\\ud800-\\udbff])[\\udc80-\\udcff]";
const LONE_ESCAPE = new RegExp(LONE_ESCAPE_SOURCE);
const LONE_ESCAPES = new RegExp(LONE_ESCAPE_SOURCE, "g");

/** Encodes text from `decodeSource` (or any text) back to bytes; escapes become their bytes again. */
export function encodeSource(text: string): Buffer {
  if (!LONE_ESCAPE.test(text)) return Buffer.from(text, "utf8");
  const chunks: Buffer[] = [];
  let from = 0;
  for (const m of text.matchAll(LONE_ESCAPES)) {
    const at = m.index;
    if (at > from) chunks.push(Buffer.from(text.slice(from, at), "utf8"));
    chunks.push(Buffer.of(escapedByteValue(text.charCodeAt(at))));
    from = at + 1;
  }
  if (from < text.length) chunks.push(Buffer.from(text.slice(from), "utf8"));
  return Buffer.concat(chunks);
}
