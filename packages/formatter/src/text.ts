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
  // Runs of characters that change nothing are skipped by regular expressions: native code even
  // before V8 optimizes this function, which runs once, first, over the whole file.
  let i = afterPreprocessorLine(text, 0);
  while (i !== -1 && i < text.length) {
    // line breaks only matter at the top level (a `#` line)
    const ordinary = depth === 0 ? ORDINARY_RUN : ORDINARY_RUN_IN_BLOCK;
    ordinary.lastIndex = i;
    if (ordinary.test(text)) i = ordinary.lastIndex;
    if (i >= text.length) break;
    const c = text.charCodeAt(i);
    if (c === 10) {
      i = afterPreprocessorLine(text, i + 1);
    } else if (c === 34 /* " */) {
      // to the closing quote or the end of the line, either skipped
      STRING_BODY.lastIndex = i + 1;
      STRING_BODY.test(text);
      i = STRING_BODY.lastIndex + 1;
    } else if (c === 47 /* / */) {
      const next = text.charCodeAt(i + 1);
      if (next === 47) {
        i = text.indexOf("\n", i);
      } else if (next === 42) {
        const end = text.indexOf("*/", i + 2);
        i = end === -1 ? -1 : end + 2;
      } else {
        i++;
      }
    } else if (c === 123 /* { */) {
      depth++;
      i++;
    } else {
      // `}`
      if (depth > 0 && --depth === 0) {
        itemSinceCut = true;
        const end = skipToLineEnd(text, i + 1);
        if (text[end] === "\n" && end + 1 - last >= minPiece && end + 1 < text.length) {
          cuts.push(end + 1);
          last = end + 1;
          itemSinceCut = false;
        }
      }
      i++;
    }
  }
  if (!itemSinceCut) cuts.pop();
  return cuts;
}

/** Characters that neither open a string or a comment, nor count as braces, nor end a line. */
const ORDINARY_RUN = /[^\n"/{}]+/y;
const ORDINARY_RUN_IN_BLOCK = /[^"/{}]+/y;
/** A string's text after its opening quote, up to its closing quote or the end of its line. */
const STRING_BODY = /(?:[^"\\\n]|\\[\s\S])*/y;
/** A line that starts (after blanks) with `#`: a preprocessor line or the shebang. */
const PREPROCESSOR_LINE = /[ \t\r]*#/y;

/**
 * Where the scan goes on from the start of a top-level line at `from`: past a preprocessor line,
 * to its line break (-1 when it is the text's last line); else `from`.
 */
function afterPreprocessorLine(text: string, from: number): number {
  PREPROCESSOR_LINE.lastIndex = from;
  return PREPROCESSOR_LINE.test(text) ? text.indexOf("\n", from) : from;
}
