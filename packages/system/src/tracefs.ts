/** Tracepoint `format` files of tracefs (`events/<category>/<event>/format`). */

export interface TracepointField {
  name: string;
  /** C type as tracefs spells it, array suffix included: `const char *`, `char[16]`, `__data_loc char[]`. */
  type: string;
  offset: number;
  size: number;
  signed: boolean;
  /** `common_*` fields every event starts with. */
  common: boolean;
}

const FIELD_LINE = /^\s*field:(.+?);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d+);/;

/** Fields of one `format` file; throws when the text has no `format:` section. */
export function parseTracepointFormat(text: string): TracepointField[] {
  if (!/^format:/m.test(text)) throw new Error("not a tracepoint format file (no `format:` line)");
  const fields: TracepointField[] = [];
  for (const line of text.split("\n")) {
    const m = FIELD_LINE.exec(line);
    if (!m) continue;
    const decl = splitDeclaration(m[1].trim());
    if (!decl) continue;
    fields.push({ ...decl, offset: Number(m[2]), size: Number(m[3]), signed: m[4] === "1", common: decl.name.startsWith("common_") });
  }
  return fields;
}

/** `const char * filename` → {type: "const char *", name: "filename"}; `char comm[16]` → {type: "char[16]", name: "comm"}. */
function splitDeclaration(decl: string): { name: string; type: string } | undefined {
  const m = /^(.*?)\s*\b([A-Za-z_][A-Za-z0-9_]*)\s*((?:\[[^\]]*\])*)$/.exec(decl);
  if (!m || m[1] === "") return undefined;
  return { name: m[2], type: `${m[1].trim()}${m[3]}` };
}
