/** Where a scan of the text before the cursor ended: in code, a comment or a string. */
export type LexicalPlace = "code" | "comment" | "string";

export interface CodeScanOptions {
  /**
   * Asked at a `#` that starts a line: whether that line is a directive (`#include`, `#!…`) to
   * skip like a `//` comment. Without it, `#` is an ordinary character.
   */
  directive?: () => boolean;
}

/**
 * Walks `text` from the start up to `offset`, skipping `//` and `/* … *\/` comments and `"…"`
 * strings (which also end at a newline), and hands every other character to `visit`. Returns
 * whether `offset` itself lies in code, a comment or a string. Works on broken code, which is
 * what the user has while typing; completion and signature help build on it.
 */
export function scanCode(
  text: string,
  offset: number,
  visit: (char: string, index: number) => void,
  options: CodeScanOptions = {},
): LexicalPlace {
  let i = 0;
  while (i < offset) {
    const c = text[i];
    if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      if (end === -1 || end >= offset) return "comment";
      i = end + 1;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end === -1 || end + 2 > offset) return "comment";
      i = end + 2;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      if (j >= offset) return "string";
      i = j + 1;
    } else if (c === "#" && (i === 0 || text[i - 1] === "\n") && options.directive?.()) {
      const end = text.indexOf("\n", i);
      if (end === -1 || end >= offset) return "comment";
      i = end + 1;
    } else {
      visit(c, i);
      i++;
    }
  }
  return "code";
}
