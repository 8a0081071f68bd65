import type { Position } from "./ast.ts";

/**
 * Offsets to 1-based line/column positions. bpftrace counts only LF as a line break (a CR just
 * advances the column). The AST builder asks in almost increasing order, so the line of the last
 * answer is tried first and a binary search is the exception.
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  private last = 0;

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): Position {
    const starts = this.starts;
    let line = this.last;
    if (!(starts[line] <= offset && (line + 1 === starts.length || offset < starts[line + 1]))) {
      if (line + 2 < starts.length && starts[line + 1] <= offset && offset < starts[line + 2]) line++;
      else line = this.search(offset);
      this.last = line;
    }
    return { offset, line: line + 1, column: offset - starts[line] + 1 };
  }

  private search(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

