import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { ATTACH_POINTS_COMMAND, TARGET_NOTIFICATION, type AttachPointInfo, type TargetNotification } from "../../language-server/src/protocol.ts";

/**
 * The extension starts the bundled bt language server (out/server.cjs) for bpftrace documents;
 * every language feature lives in the server, so it is tested without VS Code. What only an
 * editor can do lives here: running the script with the bundled bt-run (out/bt-run.cjs) in a
 * terminal, a picker of the script's attach points, and the target release in the status bar
 * with a picker to change it.
 */

const LANGUAGE = "bpftrace";
export const COMMANDS = {
  run: "bt.runScript",
  attachPoints: "bt.showAttachPoints",
  pickTarget: "bt.pickTarget",
} as const;

let client: LanguageClient | undefined;

/** What the extension tells other extensions (and its tests). */
export interface BtExtensionApi {
  /** The release the server last said it checks against (`bt/target`), with the setting it came from. */
  target(): TargetNotification | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<BtExtensionApi> {
  const module = context.asAbsolutePath(path.join("out", "server.cjs"));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6009"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: LANGUAGE },
      { scheme: "untitled", language: LANGUAGE },
    ],
  };
  // The id "bt" makes the client honour the `bt.trace.server` setting.
  client = new LanguageClient("bt", "bpftrace (bt)", serverOptions, clientOptions);

  const status = vscode.window.createStatusBarItem("bt.target", vscode.StatusBarAlignment.Right, 100);
  status.name = "bpftrace target release";
  status.command = COMMANDS.pickTarget;
  status.text = "$(sync~spin) bpftrace";
  status.tooltip = "bpftrace release the bt language server checks against: click to change (bt.target)";
  const showStatus = (editor: vscode.TextEditor | undefined) => (editor?.document.languageId === LANGUAGE ? status.show() : status.hide());
  showStatus(vscode.window.activeTextEditor);
  let lastTarget: TargetNotification | undefined;
  client.onNotification(TARGET_NOTIFICATION, (target: TargetNotification) => {
    lastTarget = target;
    status.text = `$(pulse) bpftrace ${target.release}`;
    status.tooltip = `Checking against bpftrace ${target.release}${target.setting === "installed" ? " (the installed bpftrace)" : ""}: click to change (bt.target)`;
  });

  context.subscriptions.push(
    status,
    vscode.window.onDidChangeActiveTextEditor(showStatus),
    vscode.commands.registerCommand(COMMANDS.run, (uri?: vscode.Uri) => runScript(context, uri)),
    vscode.commands.registerCommand(COMMANDS.attachPoints, (uri?: vscode.Uri) => showAttachPoints(uri)),
    vscode.commands.registerCommand(COMMANDS.pickTarget, (release?: string) => pickTarget(context, release)),
  );
  await client.start();
  return { target: () => lastTarget };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** The bpftrace document a command is for: the one given (editor title button) or the active editor's. */
async function bpftraceDocument(uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (document?.languageId === LANGUAGE) return document;
  void vscode.window.showWarningMessage("Open a bpftrace script first.");
  return undefined;
}

/** POSIX shell quoting: one argument whatever it contains. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The terminal command running `script` with bt-run. bpftrace needs root (or, from 0.27, BPF
 * capabilities), so a user who is not root gets `sudo`, which asks for the password in the
 * terminal. The extension host's own executable runs bt-run: Node in code-server, Electron in
 * VS Code (ELECTRON_RUN_AS_NODE makes it a Node).
 */
export function runCommandLine(options: { node: string; runner: string; script: string; bpftrace: string; root: boolean }): string {
  const command = ["env", "ELECTRON_RUN_AS_NODE=1", options.node, options.runner];
  if (options.bpftrace !== "bpftrace") command.push("--bpftrace", options.bpftrace);
  command.push(options.script);
  return [...(options.root ? [] : ["sudo"]), ...command].map(shellQuote).join(" ");
}

async function runScript(context: vscode.ExtensionContext, uri?: vscode.Uri): Promise<string | undefined> {
  const document = await bpftraceDocument(uri);
  if (!document) return undefined;
  if (document.isUntitled) {
    void vscode.window.showWarningMessage("Save the script to a file first: bt-run runs files.");
    return undefined;
  }
  if (document.isDirty) await document.save();
  const commandLine = runCommandLine({
    node: process.execPath,
    runner: context.asAbsolutePath(path.join("out", "bt-run.cjs")),
    script: document.uri.fsPath,
    bpftrace: vscode.workspace.getConfiguration("bt", document.uri).get<string>("bpftracePath", "bpftrace"),
    root: process.getuid?.() === 0,
  });
  const terminal = vscode.window.createTerminal({ name: `bt-run ${path.basename(document.uri.fsPath)}`, cwd: path.dirname(document.uri.fsPath) });
  terminal.show();
  terminal.sendText(commandLine);
  return commandLine;
}

/** A quick pick of the script's attach points (from the server); picking one reveals it. */
async function showAttachPoints(uri?: vscode.Uri): Promise<AttachPointInfo[] | undefined> {
  const document = await bpftraceDocument(uri);
  if (!document || !client) return undefined;
  const found = (await client.sendRequest("workspace/executeCommand", { command: ATTACH_POINTS_COMMAND, arguments: [document.uri.toString()] })) as
    | AttachPointInfo[]
    | null;
  if (!found || found.length === 0) {
    void vscode.window.showInformationMessage("This script has no attach points.");
    return found ?? [];
  }
  const items = found.map((ap) => ({
    label: ap.text,
    description: ap.provider ?? "unknown probe type",
    detail: `line ${ap.range.start.line + 1}, probe ${ap.probe + 1}`,
    attachPoint: ap,
  }));
  void vscode.window.showQuickPick(items, { title: `Attach points of ${path.basename(document.uri.fsPath)}`, matchOnDescription: true }).then(async (picked) => {
    if (!picked) return;
    const { start, end } = picked.attachPoint.range;
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(start.line, start.character, end.line, end.character);
    editor.revealRange(editor.selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  });
  return found;
}

/**
 * Sets `bt.target` (in the workspace when one is open). Without an argument it asks, offering
 * the values the setting accepts (the manifest's enum, which a test keeps equal to the server's).
 */
async function pickTarget(context: vscode.ExtensionContext, release?: string): Promise<string | undefined> {
  const accepted: string[] = context.extension.packageJSON.contributes.configuration.properties["bt.target"].enum;
  const current = vscode.workspace.getConfiguration("bt").get<string>("target", "installed");
  const picked =
    release ??
    (await vscode.window.showQuickPick(
      [...accepted].reverse().map((value) => ({
        label: value,
        description: value === current ? "current" : value === "installed" ? "ask bpftrace --version" : undefined,
      })),
      { title: "bpftrace release to check against (bt.target)" },
    ))?.label;
  if (!picked) return undefined;
  if (!accepted.includes(picked)) throw new Error(`bt.target cannot be ${JSON.stringify(picked)} (one of ${accepted.join(", ")})`);
  const scope = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration("bt").update("target", picked, scope);
  return picked;
}
