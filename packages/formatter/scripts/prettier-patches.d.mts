import type { Plugin } from "esbuild";

export const PRETTIER_PATCHES: readonly { name: string; pattern: RegExp; replace: (...groups: string[]) => string }[];
export function patchPrettier(source: string): { code: string; missed: string[] };
export const prettierPatches: Plugin;
