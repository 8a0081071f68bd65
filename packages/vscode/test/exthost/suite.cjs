// Runs INSIDE the real VS Code extension host (code-server), loaded by
// /work/shared/clients/vscode/vscode-exthost-test.js; driven by src/exthost.test.ts.
// The workspace folder holds sample.bt, expected-formatted.bt and .vscode/settings.json.
const assert = require("assert");
const fs = require("fs");
const path = require("path");
const vscode = require("vscode");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, get, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
const text = (c) => (typeof c === "string" ? c : c.value);

exports.run = async function run() {
  const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
  const uri = vscode.Uri.file(path.join(folder, "sample.bt"));
  const doc = await vscode.workspace.openTextDocument(uri);
  assert.strictEqual(doc.languageId, "bpftrace", "language of .bt files");
  await vscode.window.showTextDocument(doc);
  const ext = vscode.extensions.getExtension("bt-toolkit.bpftrace-bt");
  assert.ok(ext, "extension present");
  await until("activation", () => ext.isActive);

  const summary = { vscode: vscode.version };

  // Diagnostics from the bundled server (bt.target comes from .vscode/settings.json).
  const diags = await until("diagnostics", () => {
    const d = vscode.languages.getDiagnostics(uri);
    return d.length > 0 && d;
  });
  const unused = diags.find((d) => (d.code && typeof d.code === "object" ? d.code.value : d.code) === "variable-unused");
  assert.ok(unused, "variable-unused diagnostic: " + JSON.stringify(diags.map((d) => d.message)));
  assert.strictEqual(unused.source, "bt");
  assert.strictEqual(unused.range.start.line, 14);
  assert.match(String(unused.code.target), /variable-unused\.md$/);
  summary.diagnostics = diags.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`);

  // Hover on `nsecs`.
  const hovers = await vscode.commands.executeCommand("vscode.executeHoverProvider", uri, new vscode.Position(13, 18));
  const hoverText = hovers.flatMap((h) => h.contents.map(text)).join("\n");
  assert.ok(hoverText.includes("nsecs: timestamp"), "hover: " + hoverText);

  // Completion inside a body.
  const completion = await vscode.commands.executeCommand("vscode.executeCompletionItemProvider", uri, new vscode.Position(19, 17));
  const labels = completion.items.map((i) => (typeof i.label === "string" ? i.label : i.label.label));
  for (const l of ["nsecs", "printf", "double"]) assert.ok(labels.includes(l), `completion has ${l}`);

  // Go to definition of @start (line 19) → its assignment on line 13.
  const defs = await vscode.commands.executeCommand("vscode.executeDefinitionProvider", uri, new vscode.Position(19, 25));
  assert.deepStrictEqual(defs.map((d) => (d.range ?? d.targetRange).start.line), [13]);

  // Outline.
  const symbols = await vscode.commands.executeCommand("vscode.executeDocumentSymbolProvider", uri);
  const names = symbols.map((s) => s.name);
  assert.ok(names.includes("kprobe:do_nanosleep") && names.includes("double") && names.includes("@start"), "symbols " + names);

  // Formatting: apply the edits and compare with the formatter's output.
  const edits = await vscode.commands.executeCommand("vscode.executeFormatDocumentProvider", uri, { tabSize: 2, insertSpaces: true });
  assert.ok(edits && edits.length > 0, "formatting edits");
  const we = new vscode.WorkspaceEdit();
  we.set(uri, edits);
  assert.ok(await vscode.workspace.applyEdit(we), "apply formatting");
  const expected = fs.readFileSync(path.join(folder, "expected-formatted.bt"), "utf8");
  assert.strictEqual(doc.getText(), expected, "formatted text");
  summary.formattingEdits = edits.length;

  // Quick fix from the linter: delete(@m[k]) → delete(@m, k).
  const fixUri = vscode.Uri.file(path.join(folder, "fix.bt"));
  const fixDoc = await vscode.workspace.openTextDocument(fixUri);
  await vscode.window.showTextDocument(fixDoc);
  const fixDiag = await until("fix.bt diagnostics", () =>
    vscode.languages.getDiagnostics(fixUri).find((d) => (typeof d.code === "object" ? d.code.value : d.code) === "version-compat"),
  );
  const actions = await vscode.commands.executeCommand("vscode.executeCodeActionProvider", fixUri, fixDiag.range, vscode.CodeActionKind.QuickFix.value);
  const quickFix = actions.find((a) => a.kind && a.kind.value === "quickfix");
  assert.ok(quickFix, "quick fix offered");
  assert.ok(await vscode.workspace.applyEdit(quickFix.edit), "apply quick fix");
  assert.strictEqual(fixDoc.getText(), "BEGIN { @m[1] = 1; delete(@m, 1); }\n");

  // A bpftrace shebang makes an extension-less file bpftrace.
  const script = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, "script")));
  assert.strictEqual(script.languageId, "bpftrace", "shebang detection");

  console.log("EXTENSION-HOST TESTS PASSED: " + JSON.stringify(summary));
};
