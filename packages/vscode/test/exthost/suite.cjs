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

  // --- Language features beyond the basics ---------------------------------------------------
  const featuresUri = vscode.Uri.file(path.join(folder, "features.bt"));
  const featuresDoc = await vscode.workspace.openTextDocument(featuresUri);
  await vscode.window.showTextDocument(featuresDoc);
  await until("features.bt analysed", () => vscode.languages.getDiagnostics(featuresUri).length >= 0 && ext.isActive);

  // Folding from the tree: the probe from its attach point, not by indentation.
  const folds = await until("folding ranges", async () => {
    const f = await vscode.commands.executeCommand("vscode.executeFoldingRangeProvider", featuresUri);
    return f && f.length > 0 && f;
  });
  assert.ok(folds.some((f) => f.start === 1 && f.end === 5), "probe fold 1-5: " + JSON.stringify(folds));

  // Semantic tokens: the legend is the server's.
  const legend = await vscode.commands.executeCommand("vscode.provideDocumentSemanticTokensLegend", featuresUri);
  assert.ok(legend && legend.tokenTypes.includes("macro"), "semantic tokens legend: " + JSON.stringify(legend));
  const tokens = await vscode.commands.executeCommand("vscode.provideDocumentSemanticTokens", featuresUri);
  assert.ok(tokens && tokens.data.length > 0, "semantic tokens");
  summary.semanticTokens = tokens.data.length / 5;

  // Inlay hints: `this` beside arg0 in the C++ member probe, parameter names in lhist().
  const hints = await vscode.commands.executeCommand("vscode.executeInlayHintProvider", featuresUri, new vscode.Range(0, 0, 20, 0));
  const hintLabels = hints.map((h) => (typeof h.label === "string" ? h.label : h.label.map((p) => p.value).join("")));
  assert.ok(hintLabels.includes("this"), "inlay hint this: " + JSON.stringify(hintLabels));
  assert.ok(hintLabels.includes("min:"), "inlay hint min: " + JSON.stringify(hintLabels));
  summary.inlayHints = hintLabels;

  // Workspace symbols over open documents.
  const wsSymbols = await vscode.commands.executeCommand("vscode.executeWorkspaceSymbolProvider", "twice");
  assert.ok(wsSymbols.some((s) => s.name === "twice" && s.location.uri.fsPath === featuresUri.fsPath), "workspace symbol twice");

  // Completion in a tracepoint: no retval, no ctx.
  const tpCompletion = await vscode.commands.executeCommand("vscode.executeCompletionItemProvider", featuresUri, new vscode.Position(8, 16));
  const tpLabels = tpCompletion.items.map((i) => (typeof i.label === "string" ? i.label : i.label.label));
  assert.ok(tpLabels.includes("args") && !tpLabels.includes("retval") && !tpLabels.includes("ctx"), "tracepoint completion");

  // Rename a macro.
  const renamed = await vscode.commands.executeCommand("vscode.executeDocumentRenameProvider", featuresUri, new vscode.Position(0, 8), "double");
  assert.strictEqual(renamed.get(featuresUri).length, 2, "macro rename edits");

  // Disable a rule for this line.
  const unusedDiag = await until("variable-unused in features.bt", () =>
    vscode.languages.getDiagnostics(featuresUri).find((d) => (typeof d.code === "object" ? d.code.value : d.code) === "variable-unused"),
  );
  const disableActions = await vscode.commands.executeCommand("vscode.executeCodeActionProvider", featuresUri, unusedDiag.range);
  assert.ok(disableActions.some((a) => a.title === "Disable variable-unused for this line"), "disable action");

  // --- Commands -------------------------------------------------------------------------
  const commands = await vscode.commands.getCommands(true);
  for (const c of ["bt.runScript", "bt.showAttachPoints", "bt.pickTarget"]) assert.ok(commands.includes(c), `command ${c}`);

  const attachPoints = await vscode.commands.executeCommand("bt.showAttachPoints", featuresUri);
  await vscode.commands.executeCommand("workbench.action.closeQuickOpen");
  assert.deepStrictEqual(
    attachPoints.map((a) => a.text),
    ['uprobe:/bin/app:cpp:"Widget::draw"', "tracepoint:syscalls:sys_enter_openat"],
  );

  // Pick a target: the setting changes, the server re-checks (`let` needs 0.22).
  const targetUri = vscode.Uri.file(path.join(folder, "target.bt"));
  const targetDoc = await vscode.workspace.openTextDocument(targetUri);
  await vscode.window.showTextDocument(targetDoc);
  assert.strictEqual(await vscode.commands.executeCommand("bt.pickTarget", "0.21"), "0.21");
  assert.strictEqual(vscode.workspace.getConfiguration("bt").get("target"), "0.21");
  const versionDiag = await until("`let` flagged for 0.21", () =>
    vscode.languages.getDiagnostics(targetUri).find((d) => /need bpftrace ≥ 0\.22/.test(d.message)),
  );
  summary.afterPickTarget = versionDiag.message;
  // The server told the extension (status bar) which release it now checks against.
  await until("bt/target 0.21", () => ext.exports.target() && ext.exports.target().release === "0.21");
  await vscode.commands.executeCommand("bt.pickTarget", "0.27");
  await until("`let` accepted for 0.27", () => !vscode.languages.getDiagnostics(targetUri).some((d) => /need bpftrace ≥ 0\.22/.test(d.message)));

  // Run the shebang script with bt-run in a terminal.
  const scriptUri = vscode.Uri.file(path.join(folder, "script"));
  const commandLine = await vscode.commands.executeCommand("bt.runScript", scriptUri);
  assert.ok(commandLine && commandLine.includes("out/bt-run.cjs") && commandLine.endsWith(scriptUri.fsPath), "run command line: " + commandLine);
  assert.ok(process.getuid() === 0 ? !commandLine.startsWith("sudo ") : commandLine.startsWith("sudo "), "sudo unless root: " + commandLine);
  await until("bt-run terminal", () => vscode.window.terminals.find((t) => t.name === "bt-run script"));
  summary.run = commandLine;

  console.log("EXTENSION-HOST TESTS PASSED: " + JSON.stringify(summary));
};
