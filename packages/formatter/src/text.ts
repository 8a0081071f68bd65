/** Small scanners over the original text (blank-line detection), in the manner of Prettier's utilities. */

function skipSpaces(text: string, i: number): number {
  while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\r")) i++;
  return i;
}

/** Skip `;`, spaces and comments that sit on the current line. */
function skipToLineEnd(text: string, i: number): number {
  for (;;) {
    const start = i;
    i = skipSpaces(text, i);
    if (text[i] === ";") i++;
    if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      if (end === -1) return text.length;
      // a block comment that spans lines ends the scan at its end
      i = end + 2;
    } else if (text.startsWith("//", i)) {
      const nl = text.indexOf("\n", i);
      return nl === -1 ? text.length : nl;
    }
    if (i === start) return i;
  }
}

/** Whether the line after the one holding `offset` is blank (comments on the same line skipped). */
export function isNextLineEmpty(text: string, offset: number): boolean {
  let i = skipToLineEnd(text, offset);
  if (text[i] !== "\n") return false;
  i = skipSpaces(text, i + 1);
  return text[i] === "\n";
}

/**
 * Offsets where a program may be cut into pieces that format alone exactly as they format
 * together: the start of each line that follows a top-level `}` (the end of a probe, a block-like
 * item or a C definition) together with what shares its line (`;`, spaces, comments). What comes
 * after such a cut (own-line comments, blank lines, the next item) is what Prettier attaches to the
 * next item anyway. A scan of characters, not a parse: strings, comments and preprocessor lines
 * are skipped, braces are counted. A scan that gets a cut wrong only makes a piece that does not
 * parse, and the caller then formats the whole text.
 */
export function topLevelCuts(text: string, minPiece: number): number[] {
  const cuts: number[] = [];
  let depth = 0;
  let last = 0;
  // whether an item ends after the last cut: a last piece of only comments would print them as
  // the program's own (dangling) comments instead of after the last item
  let itemSinceCut = false;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      continue;
    }
    if (lineStart && depth === 0 && c === 35 /* # */) {
      const nl = text.indexOf("\n", i);
      if (nl === -1) break;
      i = nl - 1; // preprocessor line or shebang
      continue;
    }
    if (c !== 32 && c !== 9 && c !== 13) lineStart = false;
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34 && text.charCodeAt(i) !== 10; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const nl = text.indexOf("\n", i);
      if (nl === -1) break;
      i = nl - 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf("*/", i + 2);
      if (end === -1) break;
      i = end + 1;
    } else if (c === 123 /* { */) {
      depth++;
    } else if (c === 125 /* } */ && depth > 0) {
      depth--;
      if (depth === 0) {
        itemSinceCut = true;
        const end = skipToLineEnd(text, i + 1);
        if (text[end] === "\n" && end + 1 - last >= minPiece && end + 1 < text.length) {
          cuts.push(end + 1);
          last = end + 1;
          itemSinceCut = false;
        }
      }
    }
  }
  if (!itemSinceCut) cuts.pop();
  return cuts;
}