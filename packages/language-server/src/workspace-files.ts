import { readFile, stat } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { parse, type Release } from "@bt/parser";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { DocumentSymbol } from "vscode-languageserver";
import { glob } from "tinyglobby";
import { Analysis } from "./documents.ts";

/**
 * The `.bt` files of the workspace folders that are not open, for workspace-wide features
 * (workspace symbols). Each file is read and parsed once per identity (size and mtime) and
 * release; folders are listed again on every request, which costs milliseconds, so new and
 * deleted files are seen without a file watcher.
 *
 * Bounded so that opening a home directory as the workspace cannot stall the server: at most
 * `maxFiles` files (the rest are left out, said once in the log), none larger than `maxFileBytes`,
 * and never under node_modules or .git.
 */
export interface WorkspaceFilesLimits {
  maxFiles: number;
  maxFileBytes: number;
}

export const DEFAULT_WORKSPACE_LIMITS: WorkspaceFilesLimits = { maxFiles: 2000, maxFileBytes: 1024 * 1024 };

const IGNORED = ["**/node_modules/**", "**/.git/**"];

interface Outline {
  size: number;
  mtimeMs: number;
  target: Release;
  symbols: DocumentSymbol[];
}

export interface WorkspaceFileOutline {
  uri: string;
  symbols: DocumentSymbol[];
}

export class WorkspaceFiles {
  private readonly outlines = new Map<string, Outline>();
  private saidTooMany = false;

  constructor(
    /** File-system paths of the workspace folders. */
    private readonly folders: () => readonly string[],
    /** The outline of one parsed file (document-symbols' own). */
    private readonly outline: (analysis: Analysis) => DocumentSymbol[],
    private readonly log: (message: string) => void,
    private readonly limits: WorkspaceFilesLimits = DEFAULT_WORKSPACE_LIMITS,
  ) {}

  /** The outline of every workspace `.bt` file whose URI is not in `skip` (the open documents). */
  async outlinesOf(target: Release, skip: ReadonlySet<string>): Promise<WorkspaceFileOutline[]> {
    const paths = await this.list();
    const out: WorkspaceFileOutline[] = [];
    const seen = new Set<string>();
    for (const path of paths) {
      const uri = pathToFileURL(path).href;
      seen.add(path);
      if (skip.has(uri)) continue;
      const symbols = await this.outlineOf(path, uri, target);
      if (symbols) out.push({ uri, symbols });
    }
    for (const path of this.outlines.keys()) if (!seen.has(path)) this.outlines.delete(path);
    return out;
  }

  private async list(): Promise<string[]> {
    const found = new Set<string>();
    for (const folder of this.folders()) {
      try {
        for (const path of await glob(["**/*.bt"], { cwd: folder, absolute: true, ignore: IGNORED, followSymbolicLinks: false, dot: false })) found.add(path);
      } catch (error) {
        this.log(`workspace symbols: cannot list ${folder} (${(error as Error).message})`);
      }
    }
    const sorted = [...found].sort();
    if (sorted.length > this.limits.maxFiles) {
      if (!this.saidTooMany) this.log(`workspace symbols: ${sorted.length} .bt files in the workspace; only the first ${this.limits.maxFiles} are read`);
      this.saidTooMany = true;
      return sorted.slice(0, this.limits.maxFiles);
    }
    return sorted;
  }

  /** undefined for a file that cannot be read, is too large, or holds a NUL byte (not a script). */
  private async outlineOf(path: string, uri: string, target: Release): Promise<DocumentSymbol[] | undefined> {
    let size: number;
    let mtimeMs: number;
    try {
      ({ size, mtimeMs } = await stat(path));
    } catch {
      return undefined; // deleted since it was listed
    }
    if (size > this.limits.maxFileBytes) return undefined;
    const cached = this.outlines.get(path);
    if (cached && cached.size === size && cached.mtimeMs === mtimeMs && cached.target === target) return cached.symbols;
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      return undefined;
    }
    if (text.includes("\u0000")) return undefined;
    const document = TextDocument.create(uri, "bpftrace", 0, text);
    const symbols = this.outline(new Analysis(document, target, parse(text, { target }), text, 0));
    this.outlines.set(path, { size, mtimeMs, target, symbols });
    return symbols;
  }
}
