import { childNodes, type Node, type Range } from "@bt/parser";
import type { Range as LspRange } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";

/**
 * Parser ranges carry UTF-16 offsets; LSP wants 0-based line/character. Converting through the
 * offsets (not the parser's 1-based columns) keeps tabs and CRLF line ends exact.
 */
export function toLspRange(document: TextDocument, range: Range): LspRange {
  return { start: document.positionAt(range.start.offset), end: document.positionAt(range.end.offset) };
}

/** Whether an offset lies in a range; the end counts, so a cursor right after a name hits it. */
export function touches(range: Range, offset: number): boolean {
  return range.start.offset <= offset && offset <= range.end.offset;
}

/**
 * Root-to-leaf chain of nodes containing the offset. Among siblings that touch the offset,
 * the one that starts at it wins (a cursor between `a` and `+` is on `a`'s end and `+`'s
 * start: prefer the name after the cursor only if no earlier sibling touches).
 */
export function nodePath(root: Node, offset: number): Node[] {
  const path: Node[] = [];
  let node: Node | undefined = root;
  while (node) {
    path.push(node);
    let next: Node | undefined;
    for (const child of childNodes(node)) {
      if (touches(child.range, offset)) {
        next = child;
        // Prefer a child that strictly contains the offset over one that merely ends at it.
        if (offset < child.range.end.offset) break;
      }
    }
    node = next;
  }
  return path;
}
