import { TextDocument } from "vscode-languageserver-textdocument";
import { describe, expect, it } from "vitest";
import { lineEdits, wholeDocumentEdit } from "./text-edits.ts";

const doc = (text: string) => TextDocument.create("file:///t.bt", "bpftrace", 1, text);
const applyAll = (text: string, edits: { edit: Parameters<typeof TextDocument.applyEdits>[1][number] }[]) =>
  TextDocument.applyEdits(doc(text), edits.map((e) => e.edit));

describe("text edits", () => {
  it("a few changed lines: one edit per changed run, the rest untouched", () => {
    const before = "a\nb\nc\nd\ne\n";
    const after = "a\nB\nc\nd\nE\nf\n";
    const edits = lineEdits(doc(before), before, after);
    expect(edits.map((e) => [e.edit.range.start.line, e.edit.range.end.line, e.edit.newText])).toEqual([
      [1, 2, "B\n"],
      [4, 5, "E\nf\n"],
    ]);
    expect(applyAll(before, edits)).toBe(after);
  });

  it("almost every line changed: one edit from the first to the last changed line", () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i}`);
    const before = ["keep", ...lines, "end"].join("\n") + "\n";
    const after = ["keep", ...lines.map((l) => `  ${l}`), "end"].join("\n") + "\n";
    const edits = lineEdits(doc(before), before, after);
    expect(edits).toHaveLength(1);
    expect(edits[0].edit.range).toEqual({ start: { line: 1, character: 0 }, end: { line: 3001, character: 0 } });
    expect(applyAll(before, edits)).toBe(after);
  });

  it("CRLF line ends and a last line without one", () => {
    const before = "a\r\nb\r\nc";
    const after = "a\r\nB\r\nc";
    expect(applyAll(before, lineEdits(doc(before), before, after))).toBe(after);
  });

  it("one edit between the common prefix and suffix, never splitting a surrogate pair", () => {
    const before = 'print("😀 x");';
    const after = 'print("😁 x");';
    const edit = wholeDocumentEdit(doc(before), before, after)!;
    expect(edit.newText).toBe("😁");
    expect(TextDocument.applyEdits(doc(before), [edit])).toBe(after);
    expect(wholeDocumentEdit(doc(before), before, before)).toBeUndefined();
  });
});
