/**
 * The script's own C definitions (`struct Foo { int x; char *name; };`, unions, enums), read
 * well enough to know their fields' types. A member this reader cannot read makes the whole
 * struct's fields unknown, so it never produces a finding.
 */
import type { CDefinition, Program } from "@bt/parser";
import { INT64, UNKNOWN, VOID, int, type BtType } from "./type-system.ts";

export interface CDefinitions {
  /** `struct Foo` / `union U` → type (with fields when readable). */
  get(name: string): BtType | undefined;
  /** Enumerator names (`enum E { A, B }` → A, B): integer constants. */
  enumValues: ReadonlySet<string>;
  /** The values of each named enum's variants (`enum E { A = 1, B }` → E: 1, 2), when every one could be read. */
  enumVariants: ReadonlyMap<string, ReadonlySet<bigint>>;
}

const C_INTEGERS: Record<string, BtType> = {
  char: int(true, 8),
  "signed char": int(true, 8),
  "unsigned char": int(false, 8),
  short: int(true, 16),
  "unsigned short": int(false, 16),
  int: int(true, 32),
  "unsigned int": int(false, 32),
  unsigned: int(false, 32),
  long: int(true, 64),
  "unsigned long": int(false, 64),
  "long long": int(true, 64),
  "unsigned long long": int(false, 64),
  _Bool: int(false, 8),
  bool: int(false, 8),
};
for (const bits of [8, 16, 32, 64]) {
  C_INTEGERS[`int${bits}_t`] = int(true, bits);
  C_INTEGERS[`uint${bits}_t`] = int(false, bits);
  C_INTEGERS[`u${bits}`] = int(false, bits);
  C_INTEGERS[`s${bits}`] = int(true, bits);
  C_INTEGERS[`__u${bits}`] = int(false, bits);
  C_INTEGERS[`__s${bits}`] = int(true, bits);
}

/**
 * The last reading of a program's definitions, by its first one: the language server lints the
 * same definition nodes (reparse keeps unchanged items) on every edit of a file.
 */
const readings = new WeakMap<CDefinition, { definitions: readonly CDefinition[]; read: CDefinitions }>();

export function parseCDefinitions(program: Program): CDefinitions {
  const definitions = program.body.filter((t): t is CDefinition => t.type === "CDefinition");
  if (definitions.length === 0) return readDefinitions(definitions);
  const last = readings.get(definitions[0]);
  if (last && last.definitions.length === definitions.length && last.definitions.every((d, i) => d === definitions[i])) return last.read;
  const read = readDefinitions(definitions);
  readings.set(definitions[0], { definitions, read });
  return read;
}

function readDefinitions(definitions: readonly CDefinition[]): CDefinitions {
  const types = new Map<string, BtType>();
  const enumValues = new Set<string>();
  const enumVariants = new Map<string, Set<bigint>>();
  const bodies: { tag: "struct" | "union"; name: string; body: string }[] = [];
  for (const t of definitions) {
    const text = t.text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "");
    // Every `struct|union|enum Name { … }` in the text (one definition may hold several).
    const re = /\b(struct|union|enum)\s+(\w+)?\s*\{/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const open = m.index + m[0].length;
      let depth = 1;
      let i = open;
      for (; i < text.length && depth > 0; i++) depth += text[i] === "{" ? 1 : text[i] === "}" ? -1 : 0;
      const body = text.slice(open, i - 1);
      if (m[1] === "enum") {
        const values = new Set<bigint>();
        let next = 0n;
        let complete = true;
        for (const item of body.split(",")) {
          if (!item.trim()) continue;
          const n = /^\s*(\w+)\s*(?:=\s*(-?(?:0x[0-9a-f]+|\d+))\s*)?$/i.exec(item);
          const name = n?.[1] ?? /^\s*(\w+)/.exec(item)?.[1];
          if (name) enumValues.add(name);
          // A value bt-lint cannot read (an expression, another enumerator): the set of values is not known.
          if (!n) {
            complete = false;
            continue;
          }
          const v = n[2] !== undefined ? BigInt(n[2]) : next;
          values.add(v);
          next = v + 1n;
        }
        if (m[2]) types.set(`enum ${m[2]}`, INT64);
        if (m[2] && complete) enumVariants.set(m[2], values);
      } else if (m[2]) {
        bodies.push({ tag: m[1] as "struct" | "union", name: m[2], body });
        types.set(`${m[1]} ${m[2]}`, { k: "struct", tag: m[1] as "struct" | "union", name: m[2] });
      }
      re.lastIndex = open;
    }
  }
  // Fields second, so members may name structs defined later in the file; a second round gives a
  // member of a struct type read in the first round that struct's fields.
  for (let round = 0; round < 2; round++) {
    for (const { tag, name, body } of bodies) {
      const fields = readMembers(body, types);
      if (fields) types.set(`${tag} ${name}`, { k: "struct", tag, name, fields });
    }
  }
  return { get: (n) => types.get(n), enumValues, enumVariants };
}

/** `struct Bar { int a; } *bar;` → `struct Bar *bar;`: a named nested definition is read on its own (parseCDefinitions finds it too). */
function collapseNamedNested(body: string): string {
  const re = /\b(struct|union|enum)\s+(\w+)\s*\{/g;
  let out = "";
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < body.length && depth > 0; i++) depth += body[i] === "{" ? 1 : body[i] === "}" ? -1 : 0;
    out += `${body.slice(last, m.index)}${m[1]} ${m[2]} `;
    last = i;
    re.lastIndex = i;
  }
  return out + body.slice(last);
}

function readMembers(raw: string, types: Map<string, BtType>): Map<string, BtType> | undefined {
  const body = collapseNamedNested(raw);
  if (/[{}()#]/.test(body)) return undefined; // anonymous nested definitions, function pointers, preprocessor: not read
  const fields = new Map<string, BtType>();
  for (const raw of body.split(";")) {
    const decl = raw.trim();
    if (!decl) continue;
    const m = /^((?:(?:const|volatile|unsigned|signed|struct|union|enum)\s+)*\w+(?:\s+(?:long|int|char|short))*)\s+(.+)$/.exec(decl);
    if (!m) return undefined;
    const baseName = m[1].replace(/\b(const|volatile)\s+/g, "").replace(/\s+/g, " ");
    for (const d of m[2].split(",")) {
      const dm = /^(\**)\s*(\w+)\s*((?:\[\s*\d*\s*\])*)\s*(?::\s*\d+)?$/.exec(d.trim());
      if (!dm) return undefined;
      let t: BtType = C_INTEGERS[baseName] ?? (baseName === "void" ? VOID : undefined) ?? types.get(baseName) ?? UNKNOWN;
      for (let p = 0; p < dm[1].length; p++) t = { k: "pointer", to: t };
      const dims = [...dm[3].matchAll(/\[\s*(\d*)\s*\]/g)].map((x) => (x[1] ? Number(x[1]) : undefined));
      // A flexible array member (`int y[]`) has no size: bpftrace gives it no type (`none`), so it cannot be read.
      if (dims.includes(undefined)) t = VOID;
      // `char name[8]` reads as a string, with room for a terminating NUL (string[9]); `signed`/`unsigned char` arrays as bytes.
      else if (dims.length === 1 && baseName === "char" && dm[1].length === 0) t = { k: "string", size: dims[0]! + 1 };
      else if (dims.length > 1 && baseName === "char") t = UNKNOWN;
      else for (const n of dims.reverse()) t = { k: "array", of: t, length: n };
      fields.set(dm[2], t);
    }
  }
  return fields;
}
