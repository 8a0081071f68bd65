import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RELEASES } from "@bt/parser";
import { SETTINGS_SCHEMA, SETTINGS_SECTION } from "@bt/language-server";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}package.json`, "utf8"));

/** Settings the VS Code client reads itself; the server never sees them. */
const CLIENT_ONLY = ["bt.trace.server"];

describe("extension manifest", () => {
  it("contributes exactly the server's settings (plus client-only ones), with the same types, defaults and enums", () => {
    const properties = manifest.contributes.configuration.properties as Record<string, { type: string; default: unknown; enum?: string[]; description: string }>;
    const serverKeys = Object.keys(SETTINGS_SCHEMA).map((k) => `${SETTINGS_SECTION}.${k}`);
    expect(Object.keys(properties).filter((k) => !CLIENT_ONLY.includes(k)).sort()).toEqual(serverKeys.sort());
    for (const [key, schema] of Object.entries(SETTINGS_SCHEMA)) {
      const p = properties[`${SETTINGS_SECTION}.${key}`];
      expect(p.type, key).toBe(schema.type);
      expect(p.default, key).toBe(schema.default);
      expect(p.enum, key).toEqual(schema.enum);
      expect(p.description, key).toBe(schema.description);
    }
    expect(properties["bt.target"].enum).toEqual(["installed", ...RELEASES]);
  });

  it("declares the bpftrace language for .bt files and bpftrace shebangs", () => {
    expect(manifest.engines.vscode).toBe("^1.100.0");
    const [language] = manifest.contributes.languages;
    expect(language.id).toBe("bpftrace");
    expect(language.extensions).toEqual([".bt"]);
    const firstLine = new RegExp(language.firstLine);
    expect(firstLine.test("#!/usr/bin/env bpftrace")).toBe(true);
    expect(firstLine.test("#!/usr/bin/bpftrace -q")).toBe(true);
    expect(firstLine.test("#!/bin/bash")).toBe(false);
    expect(existsSync(`${root}${language.configuration}`)).toBe(true);
    const [grammar] = manifest.contributes.grammars;
    expect(grammar).toMatchObject({ language: "bpftrace", scopeName: "source.bpftrace" });
    expect(JSON.parse(readFileSync(`${root}${grammar.path}`, "utf8")).scopeName).toBe("source.bpftrace");
  });

  it("language-configuration.json is valid and uses bpftrace's comment syntax", () => {
    const config = JSON.parse(readFileSync(`${root}language-configuration.json`, "utf8"));
    expect(config.comments).toEqual({ lineComment: "//", blockComment: ["/*", "*/"] });
    const word = new RegExp(config.wordPattern, "g");
    expect("@start[tid] = $x + nsecs".match(word)).toEqual(["@start", "tid", "$x", "nsecs"]);
  });

  it("the main entry is the bundled client", () => {
    expect(manifest.main).toBe("./out/extension.cjs");
    const ignore = readFileSync(`${root}.vscodeignore`, "utf8");
    expect(ignore).toContain("!out/extension.cjs");
    expect(ignore).toContain("!out/server.cjs");
  });
});
