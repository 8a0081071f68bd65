import { LATEST_RELEASE, type Release } from "@bt/parser";
import {
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Machine } from "@bt/system";
import type { BackgroundLint } from "./background-lint.ts";
import { Bpftrace, type ExecFile } from "./bpftrace.ts";
import { AnalysisCache, type Analysis } from "./documents.ts";
import { loadLanguage, type LanguageIndex } from "./language.ts";
import { MachineService } from "./machine-service.ts";
import { TARGET_NOTIFICATION, type TargetNotification } from "./protocol.ts";
import { DEFAULT_SETTINGS, SETTINGS_SECTION, readSettings, type Settings } from "./settings.ts";
import type { FormatFunction, LintFunction } from "./tools.ts";
import * as codeActions from "./features/code-actions.ts";
import * as completion from "./features/completion.ts";
import * as definition from "./features/definition.ts";
import { DiagnosticsFeature } from "./features/diagnostics.ts";
import * as documentHighlight from "./features/document-highlight.ts";
import * as documentSymbols from "./features/document-symbols.ts";
import * as formatting from "./features/formatting.ts";
import * as hover from "./features/hover.ts";
import * as references from "./features/references.ts";
import * as rename from "./features/rename.ts";
import * as signatureHelp from "./features/signature-help.ts";
import * as foldingRanges from "./features/folding-ranges.ts";
import * as inlayHints from "./features/inlay-hints.ts";
import * as semanticTokens from "./features/semantic-tokens.ts";
import * as workspaceSymbols from "./features/workspace-symbols.ts";
import { filePathOf } from "./uri.ts";
import * as attachPoints from "./features/attach-points.ts";

export interface ServerOptions {
  /** The linter; without it the server publishes the parser's diagnostics only. */
  lint?: LintFunction;
  /**
   * What the linter's findings for a file depend on besides its text and the target (its rule
   * configuration), as a string that changes when that does. With it, an edit re-lints only the
   * items it can change, on the server's thread (incremental-lint.ts); `lint` must then lint the
   * tree it is given, which may hold only some of the file's items.
   */
  lintSettings?: (filePath: string | undefined) => string;
  /**
   * The same linter in another thread, used for diagnostics when given (bt-lsp's bundle runs
   * lint-worker.js) so a long lint never delays requests; `lint` still serves code actions.
   */
  backgroundLint?: BackgroundLint;
  /** The formatter; without it formatting is not offered. */
  format?: FormatFunction;
  /** How the bpftrace adapter runs a binary (tests substitute a fake). */
  exec?: ExecFile;
  /** Language data for hover and completion; default: @bt/parser's. */
  language?: LanguageIndex;
  /**
   * Creates this machine (`createMachine` from @bt/system; tests give `machineFromFacts`), called
   * on the first question. Without it nothing is completed or checked from a machine.
   */
  machine?: () => Machine;
}

/** A feature module: the capabilities it announces and the handlers it installs. */
export interface Feature {
  capabilities(server: BtLanguageServer): ServerCapabilities;
  register(server: BtLanguageServer): void;
}

const FEATURES: Feature[] = [
  completion,
  hover,
  signatureHelp,
  definition,
  references,
  rename,
  documentHighlight,
  documentSymbols,
  workspaceSymbols,
  foldingRanges,
  semanticTokens,
  inlayHints,
  formatting,
  codeActions,
  attachPoints,
];

export const SERVER_NAME = "bt-lsp";
export const SERVER_VERSION = "0.1.0";

/**
 * The bpftrace language server. It owns no global state: give it a connection (stdio, IPC or
 * in-memory streams in tests) and call `connection.listen()`.
 */
export class BtLanguageServer {
  readonly documents = new TextDocuments(TextDocument);
  readonly analyses: AnalysisCache;
  readonly diagnostics: DiagnosticsFeature;
  readonly language: LanguageIndex;
  readonly machine: MachineService;
  settings: Settings = { ...DEFAULT_SETTINGS };
  /** The release documents are checked against (resolved from `bt.target`). */
  target: Release = LATEST_RELEASE;
  clientCapabilities: ClientCapabilities = {};
  /** File-system paths of the workspace folders (the root when the client has no folders). */
  workspaceFolderPaths: string[] = [];
  /** Resolves once the first settings are read and the target is known. */
  ready: Promise<void>;
  private markReady!: () => void;
  private bpftrace?: Bpftrace;
  private settingsGeneration = 0;

  constructor(
    readonly connection: Connection,
    readonly options: ServerOptions = {},
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.language = options.language ?? loadLanguage();
    this.machine = new MachineService(options.machine, () => this.settings.machine, (m) => this.log(m));
    this.analyses = new AnalysisCache(
      () => this.target,
      (uri) => this.machine.typesFor(uri),
    );
    this.diagnostics = new DiagnosticsFeature(this);

    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.initialized());
    connection.onDidChangeConfiguration((params) => void this.configurationChanged(params.settings));
    connection.onShutdown(() => {
      this.diagnostics.dispose();
      options.backgroundLint?.dispose();
    });

    for (const feature of FEATURES) feature.register(this);
    this.diagnostics.register();
    this.documents.onDidClose((e) => this.analyses.delete(e.document.uri));
    this.documents.listen(connection);
  }

  /** The current analysis of an open document, or undefined for unknown URIs. */
  analysis(uri: string): Analysis | undefined {
    const document = this.documents.get(uri);
    return document && this.analyses.get(document);
  }

  log(message: string): void {
    this.connection.console.log(`[bt] ${message}`);
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.clientCapabilities = params.capabilities;
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: "" }] : []);
    this.workspaceFolderPaths = folders.map((f) => filePathOf(f.uri)).filter((p): p is string => p !== undefined);
    let capabilities: ServerCapabilities = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
    };
    for (const feature of FEATURES) capabilities = { ...capabilities, ...feature.capabilities(this) };
    if (params.capabilities.workspace?.workspaceFolders) capabilities.workspace = { workspaceFolders: { supported: true, changeNotifications: true } };
    capabilities = { ...capabilities, ...this.diagnostics.capabilities() };
    // Settings may also come with initialize (clients without workspace/configuration).
    const init = params.initializationOptions as { settings?: { bt?: unknown }; bt?: unknown } | undefined;
    const initial = init?.settings?.bt ?? init?.bt;
    if (initial !== undefined) void this.applySettings(initial, false);
    return { capabilities, serverInfo: { name: SERVER_NAME, version: SERVER_VERSION } };
  }

  private async initialized(): Promise<void> {
    const workspace = this.clientCapabilities.workspace;
    if (workspace?.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
        const gone = new Set(removed.map((f) => filePathOf(f.uri)));
        const kept = this.workspaceFolderPaths.filter((p) => !gone.has(p));
        this.workspaceFolderPaths = [...kept, ...added.map((f) => filePathOf(f.uri)).filter((p): p is string => p !== undefined)];
      });
    }
    if (workspace?.didChangeConfiguration?.dynamicRegistration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => {});
    }
    if (workspace?.configuration) await this.pullSettings();
    else await this.resolveTarget();
    if (this.options.backgroundLint) this.log("linting in a worker thread");
    this.markReady();
  }

  private async configurationChanged(settings: unknown): Promise<void> {
    const section = (settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
    if (section !== undefined) await this.applySettings(section, true);
    else if (this.clientCapabilities.workspace?.configuration) await this.pullSettings();
    this.markReady();
  }

  private async pullSettings(): Promise<void> {
    let raw: unknown;
    try {
      raw = await this.connection.workspace.getConfiguration(SETTINGS_SECTION);
    } catch (error) {
      this.log(`could not read settings (${(error as Error).message}); using defaults`);
    }
    await this.applySettings(raw, true);
  }

  private async applySettings(raw: unknown, revalidate: boolean): Promise<void> {
    const { settings, problems } = readSettings(raw);
    for (const problem of problems) this.log(problem);
    this.settings = settings;
    const before = this.target;
    await this.resolveTarget();
    // Only the target changes what a check finds; re-checking for any other setting would
    // publish every open document a second time.
    if (revalidate && this.target !== before) {
      this.analyses.clear();
      this.diagnostics.revalidateAll();
    }
  }

  /** `bt.target` → a release, asking bpftrace when it is "installed". */
  private async resolveTarget(): Promise<void> {
    const generation = ++this.settingsGeneration;
    let target: Release = LATEST_RELEASE;
    if (this.settings.target === "installed") {
      if (this.bpftrace?.path !== this.settings.bpftracePath) {
        this.bpftrace = new Bpftrace(this.settings.bpftracePath, (m) => this.log(m), this.options.exec);
      }
      const version = await this.bpftrace.version();
      if (version) target = version.release;
    } else {
      target = this.settings.target as Release;
    }
    if (generation !== this.settingsGeneration) return; // a newer settings change won
    if (target !== this.target) this.log(`checking against bpftrace ${target}`);
    this.target = target;
    const notification: TargetNotification = { release: target, setting: this.settings.target };
    void this.connection.sendNotification(TARGET_NOTIFICATION, notification);
  }
}

/** Create a server on a connection and start listening. */
export function startServer(connection: Connection, options?: ServerOptions): BtLanguageServer {
  const server = new BtLanguageServer(connection, options);
  connection.listen();
  return server;
}
