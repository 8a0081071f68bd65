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
