/**
 * Function parameters from DWARF debug info, through binutils' `readelf --debug-dump=info`
 * (behind `runTool`). Why readelf and not a library: no maintained npm DWARF reader exists, and
 * readelf follows every DWARF version and form GCC and Clang emit (DWARF 5 string offsets, type
 * units, split forms) — which a reader of our own would have to chase. What is parsed is readelf's
 * DIE dump: `<depth><offset>: Abbrev Number: N (DW_TAG_…)` lines and their `DW_AT_…` attributes.
 */
import { runTool } from "./tool.ts";

export interface Die {
  offset: number;
  tag: string;
  attrs: Map<string, string>;
  parent?: Die;
  children: Die[];
}

export interface DwarfParameter {
  name: string;
  type: string;
  /** Compiler-made (`this` of a member function). */
  artificial: boolean;
}

export interface DwarfFunction {
  /** Name as declared (`AddContact`). */
  name: string;
  /** Qualified name (`AddressBook::AddContact`). */
  qualifiedName: string;
  linkageName?: string;
  returnType: string;
  params: DwarfParameter[];
}

const DIE_LINE = /^\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: (\d+)(?: \((DW_TAG_\w+)\))?/;
const ATTR_LINE = /^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*:\s?(.*)$/;
/**
 * The attributes parameters and types need. Everything else (locations, lines, files) is dropped
 * while parsing: a libc with detached debug info (libc6-dbg) dumps to ~150 MB of text.
 */
const KEPT_ATTRIBUTES = new Set([
  "DW_AT_name",
  "DW_AT_linkage_name",
  "DW_AT_MIPS_linkage_name",
  "DW_AT_type",
  "DW_AT_specification",
  "DW_AT_abstract_origin",
  "DW_AT_artificial",
  "DW_AT_declaration",
  "DW_AT_low_pc",
  "DW_AT_ranges",
  "DW_AT_count",
  "DW_AT_upper_bound",
]);

/** The DIE tree of a `readelf --debug-dump=info --wide` dump (all compile units, by offset). */
export function parseReadelfInfo(text: string): Map<number, Die> {
  const byOffset = new Map<number, Die>();
  const stack: Die[] = [];
  let current: Die | undefined;
  for (const line of text.split("\n")) {
    const d = DIE_LINE.exec(line);
    if (d) {
      const depth = Number(d[1]);
      if (d[3] === "0") {
        current = undefined;
        continue;
      }
      stack.length = depth;
      const die: Die = { offset: parseInt(d[2], 16), tag: d[4] ?? "DW_TAG_unknown", attrs: new Map(), parent: depth > 0 ? stack[depth - 1] : undefined, children: [] };
      die.parent?.children.push(die);
      stack[depth] = die;
      byOffset.set(die.offset, die);
      current = die;
      continue;
    }
    if (!current) continue;
    const a = ATTR_LINE.exec(line);
    if (a && KEPT_ATTRIBUTES.has(a[1])) current.attrs.set(a[1], a[2]);
  }
  return byOffset;
}

/** `(strp) (offset: 0x4674): AddContact`, `(string) age`, `(indirect string, offset: 0x1): x` → the string. */
function stringValue(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const indirect = raw.lastIndexOf("): ");
  if (raw.startsWith("(") && indirect >= 0) return raw.slice(indirect + 3).trim();
  const m = /^\([^)]*\)\s(.*)$/.exec(raw);
  return (m ? m[1] : raw).trim();
}

/** `(ref4) <0x6ca4>, string` → 0x6ca4. */
function refValue(raw: string | undefined): number | undefined {
  const m = raw && /<0x([0-9a-f]+)>/.exec(raw);
  return m ? parseInt(m[1], 16) : undefined;
}

function numberValue(raw: string | undefined): number | undefined {
  const m = raw && /(?:^|\s)(0x[0-9a-f]+|\d+)\s*$/.exec(raw);
  return m ? Number(m[1]) : undefined;
}

export class DwarfInfo {
  constructor(private readonly dies: Map<number, Die>) {}

  static fromReadelf(text: string): DwarfInfo {
    return new DwarfInfo(parseReadelfInfo(text));
  }

  get size(): number {
    return this.dies.size;
  }

  /** An attribute, looked up through DW_AT_specification / DW_AT_abstract_origin (where out-of-line definitions keep names and types). */
  private attr(die: Die, name: string, depth = 0): string | undefined {
    const own = die.attrs.get(name);
    if (own !== undefined || depth > 8) return own;
    for (const link of ["DW_AT_specification", "DW_AT_abstract_origin"]) {
      const target = refValue(die.attrs.get(link));
      const t = target !== undefined ? this.dies.get(target) : undefined;
      if (t) {
        const v = this.attr(t, name, depth + 1);
        if (v !== undefined) return v;
      }
    }
    return undefined;
  }

  private declaration(die: Die): Die {
    let d = die;
    for (let i = 0; i < 8; i++) {
      const next = refValue(d.attrs.get("DW_AT_specification") ?? d.attrs.get("DW_AT_abstract_origin"));
      const t = next !== undefined ? this.dies.get(next) : undefined;
      if (!t) break;
      d = t;
    }
    return d;
  }

  /** `ns::Class` prefix from the enclosing namespaces, classes and structs of a declaration. */
  private scope(die: Die): string {
    const parts: string[] = [];
    for (let p = this.declaration(die).parent; p; p = p.parent) {
      if (!/DW_TAG_(namespace|class_type|structure_type|union_type)/.test(p.tag)) continue;
      parts.unshift(stringValue(p.attrs.get("DW_AT_name")) ?? "(anonymous)");
    }
    return parts.length ? parts.join("::") + "::" : "";
  }

  /** C/C++ spelling of the type a DIE's DW_AT_type points at (`void` when it has none). */
  typeOf(die: Die): string {
    const ref = refValue(this.attr(die, "DW_AT_type"));
    return ref === undefined ? "void" : this.typeName(ref, 0);
  }

  typeName(offset: number, depth: number): string {
    const t = this.dies.get(offset);
    if (!t || depth > 16) return "?";
    const inner = () => this.typeOf(t);
    const name = stringValue(t.attrs.get("DW_AT_name"));
    switch (t.tag) {
      case "DW_TAG_base_type":
      case "DW_TAG_unspecified_type":
        return name ?? "?";
      case "DW_TAG_structure_type":
      case "DW_TAG_class_type":
      case "DW_TAG_union_type":
      case "DW_TAG_enumeration_type":
      case "DW_TAG_typedef": {
        const keyword = t.tag === "DW_TAG_structure_type" ? "struct " : t.tag === "DW_TAG_union_type" ? "union " : t.tag === "DW_TAG_enumeration_type" ? "enum " : t.tag === "DW_TAG_class_type" ? "class " : "";
        const scope = this.scope(t);
        // C++ code names classes without the keyword; C keeps `struct x`.
        const cxx = scope !== "" || t.tag === "DW_TAG_class_type" || (name ?? "").includes("<");
        return `${cxx ? "" : keyword}${scope}${name ?? "(anonymous)"}`;
      }
      case "DW_TAG_pointer_type":
        return `${inner()} *`.replace("* *", "**");
      case "DW_TAG_reference_type":
        return `${inner()} &`;
      case "DW_TAG_rvalue_reference_type":
        return `${inner()} &&`;
      case "DW_TAG_const_type":
      case "DW_TAG_volatile_type": {
        const q = t.tag === "DW_TAG_const_type" ? "const" : "volatile";
        const i = inner();
        return i.endsWith("*") ? `${i} ${q}` : `${q} ${i}`;
      }
      case "DW_TAG_array_type": {
        const dims = t.children
          .filter((c) => c.tag === "DW_TAG_subrange_type")
          .map((c) => {
            const count = numberValue(c.attrs.get("DW_AT_count"));
            const upper = numberValue(c.attrs.get("DW_AT_upper_bound"));
            return `[${count ?? (upper !== undefined ? upper + 1 : "")}]`;
          });
        return `${inner()}${dims.join("") || "[]"}`;
      }
      case "DW_TAG_subroutine_type":
        return `${inner()} (*)(${t.children.filter((c) => c.tag === "DW_TAG_formal_parameter").map((c) => this.typeOf(c)).join(", ")})`;
      default:
        return name ?? t.tag.replace("DW_TAG_", "");
    }
  }

  /** Functions with code (a low_pc, or a definition that is not a mere declaration). */
  *definedFunctions(): Generator<Die> {
    for (const die of this.dies.values()) {
      if (die.tag !== "DW_TAG_subprogram") continue;
      if (die.attrs.has("DW_AT_declaration")) continue;
      if (!die.attrs.has("DW_AT_low_pc") && !die.attrs.has("DW_AT_ranges")) continue;
      yield die;
    }
  }

  describe(die: Die): DwarfFunction {
    const name = stringValue(this.attr(die, "DW_AT_name")) ?? "";
    const linkageName = stringValue(this.attr(die, "DW_AT_linkage_name") ?? this.attr(die, "DW_AT_MIPS_linkage_name"));
    const params = die.children
      .filter((c) => c.tag === "DW_TAG_formal_parameter")
      .map((c) => ({ name: stringValue(this.attr(c, "DW_AT_name")) ?? "", type: this.typeOf(c), artificial: this.attr(c, "DW_AT_artificial") !== undefined }));
    return { name, qualifiedName: this.scope(die) + name, ...(linkageName ? { linkageName } : {}), returnType: this.typeOf(die), params };
  }

  /**
   * A function by symbol: its linkage (mangled) name, its plain name (C), or its qualified C++
   * name (`AddressBook::AddContact`).
   */
  findFunction(symbol: string): DwarfFunction | undefined {
    let byName: DwarfFunction | undefined;
    for (const die of this.definedFunctions()) {
      const f = this.describe(die);
      if (f.linkageName === symbol) return f;
      if (!byName && (f.qualifiedName === symbol || (!f.linkageName && f.name === symbol))) byName = f;
    }
    return byName;
  }
}

export type DwarfResult = { ok: true; info: DwarfInfo } | { ok: false; reason: string };

/** Reads the DWARF of an ELF file through readelf. */
export function readDwarf(path: string): DwarfResult {
  const r = runTool("readelf", ["--debug-dump=info", "--wide", path]);
  if (!r.ok) return r;
  const info = DwarfInfo.fromReadelf(r.stdout);
  if (info.size === 0) return { ok: false, reason: `${path} has no DWARF debug info (built without -g, or stripped)` };
  return { ok: true, info };
}
