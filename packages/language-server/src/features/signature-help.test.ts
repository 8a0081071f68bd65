import type { SignatureHelp } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_CAPABILITIES, markers, startClient, type TestClient } from "../testing/harness.ts";
import { enclosingCall } from "./signature-help.ts";

/** Signature help over the protocol: signatures from the language data (or the file's fn/macro), active parameter. */

const WITH_OFFSETS = {
  ...CLIENT_CAPABILITIES,
  textDocument: {
    ...CLIENT_CAPABILITIES.textDocument,
    signatureHelp: { signatureInformation: { documentationFormat: ["markdown" as const], parameterInformation: { labelOffsetSupport: true } } },
  },
};

const clients = new Map<string, TestClient>();
let plain: TestClient;
beforeAll(async () => {
  for (const target of ["0.17", "0.27"]) clients.set(target, await startClient({ settings: { target }, capabilities: WITH_OFFSETS }));
  // A client without label offsets or Markdown (default capabilities of an older editor).
  plain = await startClient({
    settings: { target: "0.27" },
    capabilities: { ...CLIENT_CAPABILITIES, textDocument: { ...CLIENT_CAPABILITIES.textDocument, signatureHelp: { signatureInformation: { documentationFormat: ["plaintext"] } } } },
  });
});
afterAll(async () => {
  for (const c of [...clients.values(), plain]) await c.shutdown();
});

let n = 0;
async function help(marked: string, target = "0.27", client = clients.get(target)!): Promise<SignatureHelp | null> {
  const { text, positions } = markers(marked);
  const uri = client.open(`sig-${n++}.bt`, text);
  return client.request<SignatureHelp | null>("textDocument/signatureHelp", { textDocument: { uri }, position: positions[0] });
}

const LHIST = {
  label: "lhist(n: int, min: int, max: int, step: int): aggregation",
  documentation: { kind: "markdown", value: "Linear histogram from min to max with the given step." },
  parameters: [{ label: [6, 12] }, { label: [14, 22] }, { label: [24, 32] }, { label: [34, 43] }],
};

describe("signature help", () => {
  it("a builtin function: its signature, parameter offsets and the parameter under the cursor", async () => {
    expect(await help("kprobe:f { @ = lhist(<|>arg0, 0, 100, 10); }")).toEqual({ signatures: [{ ...LHIST, activeParameter: 0 }], activeSignature: 0, activeParameter: 0 });
    expect(await help("kprobe:f { @ = lhist(arg0, 0, <|>100, 10); }")).toEqual({ signatures: [{ ...LHIST, activeParameter: 2 }], activeSignature: 0, activeParameter: 2 });
    expect(await help("kprobe:f { @ = lhist(arg0, 0, 100, 10<|>); }")).toEqual({ signatures: [{ ...LHIST, activeParameter: 3 }], activeSignature: 0, activeParameter: 3 });
  });

  it("while the call is still being typed; a variadic parameter stays active; commas in strings do not count", async () => {
    const printf = {
      label: "printf(fmt: format, ...args?): void",
      documentation: { kind: "markdown", value: "Print formatted output (printf-style specifiers, plus %r/%rx/%rh for buffers)." },
      parameters: [{ label: [7, 18] }, { label: [20, 28] }],
    };
    expect(await help('BEGIN { printf("(%d, %s)\\n", pid, comm, <|>')).toEqual({ signatures: [{ ...printf, activeParameter: 1 }], activeSignature: 0, activeParameter: 1 });
    expect(await help('BEGIN { printf("a, b, <|>')).toBeNull(); // inside the string
  });

  it("the innermost call; map keys and tuples inside a call keep the outer argument index", async () => {
    const str = await help("kprobe:f { printf(\"%s\\n\", str(arg0, <|>64)); }");
    expect(str?.signatures.map((s) => s.label)).toEqual(["str(ptr: pointer, len?: int): string"]);
    expect(str?.activeParameter).toBe(1);
    const print = await help("kprobe:f { @m[1, 2] = 1; print(@m[1, <|>2]); }");
    expect(print?.signatures[0].label.startsWith("print(")).toBe(true);
    expect(print?.activeParameter).toBe(0);
  });

  it("overloads of the target release, current before deprecated; the active one fits the argument count", async () => {
    const at27 = await help("BEGIN { @m[1] = 1; } END { delete(@m, <|>1); }");
    expect(at27?.signatures.map((s) => s.label)).toEqual(["delete(map: map, key): bool", "delete(map: map): bool", "delete(element: mapKey): bool"]);
    expect(at27?.signatures[2].documentation).toEqual({
      kind: "markdown",
      value:
        "Delete a map element: `delete(@m, key)` (0.22+), legacy `delete(@m[key])`; returns bool since 0.24.\n\ndelete(@m[key]): deprecated since 0.22 but still accepted.\n\n_Deprecated since bpftrace 0.22._",
    });
    expect([at27?.activeSignature, at27?.activeParameter]).toEqual([0, 1]);
    // 0.17 has only the one-argument form (and it is not deprecated there).
    const at17 = await help("BEGIN { @m[1] = 1; } END { delete(<|>@m[1]); }", "0.17");
    expect(at17).toEqual({
      signatures: [
        {
          label: "delete(element: mapKey): bool",
          documentation: {
            kind: "markdown",
            value: "Delete a map element: `delete(@m, key)` (0.22+), legacy `delete(@m[key])`; returns bool since 0.24.\n\ndelete(@m[key]): deprecated since 0.22 but still accepted.",
          },
          parameters: [{ label: [7, 22] }],
          activeParameter: 0,
        },
      ],
      activeSignature: 0,
      activeParameter: 0,
    });
  });

  it("call-style builtins, and the file's own fn and macro", async () => {
    const kstack = await help("kprobe:f { @[kstack(raw, <|>8)] = count(); }");
    expect(kstack?.signatures.map((s) => s.label)).toEqual(["kstack(mode?: bpftrace | perf | raw | build_id, limit?: int): stack"]);
    expect(kstack?.activeParameter).toBe(1);
    expect(await help("fn add($a: int64, $b: int64): int64 { return $a + $b; }\nBEGIN { print(add(1, <|>2)); }")).toEqual({
      signatures: [
        {
          label: "fn add($a: int64, $b: int64): int64",
          documentation: { kind: "markdown", value: "Defined at line 1." },
          parameters: [{ label: [7, 16] }, { label: [18, 27] }],
          activeParameter: 1,
        },
      ],
      activeSignature: 0,
      activeParameter: 1,
    });
    const macro = await help("macro twice(x) { x * 2 }\nBEGIN { print(twice(<|>3)); }");
    expect(macro?.signatures[0]).toEqual({ label: "macro twice(x)", documentation: { kind: "markdown", value: "Defined at line 1." }, parameters: [{ label: [12, 13] }], activeParameter: 0 });
  });

  it("nothing outside a call, in conditions, or for unknown names", async () => {
    expect(await help("kprobe:f { @x = <|>1; }")).toBeNull();
    expect(await help("kprobe:f { if (<|>pid > 1) { exit(); } }")).toBeNull();
    expect(await help("kprobe:f { print(1);<|> }")).toBeNull();
    expect(await help("kprobe:f { nosuchfn(<|>1); }")).toBeNull();
    expect(await help("kprobe:f { // print(<|>\n}")).toBeNull();
  });

  it("clients without label offsets get the parameter text, without Markdown plain text", async () => {
    expect(await help("kprobe:f { @ = lhist(arg0, <|>0, 100, 10); }", "0.27", plain)).toEqual({
      signatures: [
        {
          label: LHIST.label,
          documentation: { kind: "plaintext", value: "Linear histogram from min to max with the given step." },
          parameters: [{ label: "n: int" }, { label: "min: int" }, { label: "max: int" }, { label: "step: int" }],
          activeParameter: 1,
        },
      ],
      activeSignature: 0,
      activeParameter: 1,
    });
  });
});

describe("enclosingCall (text scan)", () => {
  const at = (marked: string) => {
    const i = marked.indexOf("<|>");
    return enclosingCall(marked.replace("<|>", ""), i);
  };
  it("names the callee, its `(` and the argument index", () => {
    expect(at("x = foo(1, (2, 3), <|>")).toEqual({ name: "foo", open: 7, commas: 2 });
    expect(at('foo("a)", /* b, ( */ 1, <|>')).toEqual({ name: "foo", open: 3, commas: 2 });
    expect(at("foo(1); bar<|>")).toBeUndefined();
    expect(at("foo(1, { <|>")).toBeUndefined();
    expect(at("$x(<|>")).toBeUndefined();
  });
});
