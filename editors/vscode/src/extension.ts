// VS Code client for asyncapi-ls.
//
// The server is started lazily: nothing runs until a YAML or JSON document with a
// root `asyncapi` key is open. After that, only documents that look like AsyncAPI
// are synchronised with the server (see `middleware`); other YAML/JSON files never
// leave the editor. A skipped document that later gains an `asyncapi` key is opened
// on the server at that moment.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  Middleware,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { isAsyncApiText } from './detect';
import { Range as LspRange, SecurityNode, SecurityOperation, securityNodes } from './securityTree';

const SECTION = 'asyncapi-ls';
/** The route that works today; INSTALL_COMMAND_PUBLISHED works once the module is published. */
const INSTALL_COMMAND = 'git clone https://github.com/asyncapi-ls/asyncapi-ls && cd asyncapi-ls && go install .';
const INSTALL_COMMAND_PUBLISHED = 'go install github.com/asyncapi-ls/asyncapi-ls@latest';
const SELECTOR = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'json' },
  { scheme: 'untitled', language: 'yaml' },
  { scheme: 'untitled', language: 'json' },
];

let client: LanguageClient | undefined;
/** The client the middleware talks to (set before start, so didOpen during start works). */
let middlewareClient: LanguageClient | undefined;
let starting: Promise<LanguageClient | undefined> | undefined;
let output: vscode.OutputChannel;
let extensionContext: vscode.ExtensionContext;
/** URIs whose didOpen was sent to the server (AsyncAPI documents). */
const synced = new Set<string>();
/** URIs of YAML/JSON documents held back because they are not AsyncAPI. */
const skipped = new Set<string>();

function isCandidate(doc: vscode.TextDocument): boolean {
  return (doc.languageId === 'yaml' || doc.languageId === 'json') && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled');
}

function isAsyncApi(doc: vscode.TextDocument): boolean {
  return isCandidate(doc) && isAsyncApiText(doc.getText());
}

/** Server settings, as sent in initializationOptions and didChangeConfiguration. */
function serverSettings(): { severityOverrides: Record<string, string>; showHints: boolean; inlayHints: boolean; codeLens?: boolean } {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const settings: { severityOverrides: Record<string, string>; showHints: boolean; inlayHints: boolean; codeLens?: boolean } = {
    severityOverrides: cfg.get<Record<string, string>>('severityOverrides', {}) ?? {},
    showHints: cfg.get<boolean>('showHints', true),
    inlayHints: cfg.get<boolean>('inlayHints', true),
  };
  // codeLens: unset leaves the server's default (off where inlay hints work).
  const lens = cfg.get<boolean | null>('codeLens', null);
  if (typeof lens === 'boolean') {
    settings.codeLens = lens;
  }
  return settings;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT || '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext.toLowerCase());
      if (isExecutable(candidate)) return candidate;
      const upper = path.join(dir, name + ext);
      if (upper !== candidate && isExecutable(upper)) return upper;
    }
  }
  return undefined;
}

/** Resolves the server binary: setting, then the binary shipped in the extension, then PATH. */
export function resolveServer(context: vscode.ExtensionContext): { command?: string; tried: string[] } {
  const tried: string[] = [];
  const configured = (vscode.workspace.getConfiguration(SECTION).get<string>('path') || '').trim();
  if (configured) {
    let p = expandHome(configured);
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!path.isAbsolute(p) && (p.includes('/') || p.includes('\\')) && folder) p = path.join(folder.uri.fsPath, p);
    if (path.isAbsolute(p)) {
      tried.push(p);
      return { command: isExecutable(p) ? p : undefined, tried };
    }
    tried.push(`${p} (on PATH)`);
    return { command: findOnPath(p), tried };
  }
  const exe = process.platform === 'win32' ? 'asyncapi-ls.exe' : 'asyncapi-ls';
  const bundled = context.asAbsolutePath(path.join('bin', `${process.platform}-${process.arch}`, exe));
  tried.push(bundled);
  if (isExecutable(bundled)) return { command: bundled, tried };
  tried.push('asyncapi-ls (on PATH)');
  return { command: findOnPath('asyncapi-ls'), tried };
}

/** Where the asyncapi-ls.path in effect comes from, for the log (a setting that did not arrive is the usual surprise). */
function describePathSetting(): string {
  const i = vscode.workspace.getConfiguration(SECTION).inspect<string>('path');
  const layers: [string, string | undefined][] = [
    ['workspace folder', i?.workspaceFolderValue], ['workspace', i?.workspaceValue], ['user or remote settings', i?.globalValue],
  ];
  const set = layers.find(([, v]) => typeof v === 'string' && v.trim() !== '');
  return set ? `${SECTION}.path is ${JSON.stringify(set[1])} (${set[0]})` : `${SECTION}.path is not set`;
}

async function notifyNotFound(tried: string[], detail?: string): Promise<void> {
  output.appendLine(`asyncapi-ls binary not found${detail ? ` (${detail})` : ''}; tried: ${tried.join(', ')}; ${describePathSetting()}`);
  const copy = 'Copy install command';
  const settings = 'Set asyncapi-ls.path';
  const retry = 'Retry';
  const choice = await vscode.window.showErrorMessage(
    `AsyncAPI: the asyncapi-ls language server was not found${detail ? ` (${detail})` : ''}. ` +
      `Install it (Go 1.26+) with: ${INSTALL_COMMAND} (and put $(go env GOPATH)/bin on PATH; ` +
      `once the module is published, ${INSTALL_COMMAND_PUBLISHED} also works), ` +
      'or set "asyncapi-ls.path" to the binary.',
    copy,
    settings,
    retry,
  );
  if (choice === copy) {
    await vscode.env.clipboard.writeText(INSTALL_COMMAND);
    vscode.window.showInformationMessage(`Copied: ${INSTALL_COMMAND}`);
  } else if (choice === settings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.path`);
  } else if (choice === retry) {
    await ensureClient(true);
  }
}

function uriKey(doc: vscode.TextDocument): string {
  return doc.uri.toString();
}

const middleware: Middleware = {
  didOpen: async (doc, next) => {
    const key = uriKey(doc);
    if (isAsyncApiText(doc.getText())) {
      skipped.delete(key);
      synced.add(key);
      return next(doc);
    }
    skipped.add(key);
  },
  didChange: async (event, next) => {
    const key = uriKey(event.document);
    if (synced.has(key)) return next(event);
    if (skipped.has(key) && isAsyncApiText(event.document.getText())) {
      // The document just became AsyncAPI: open it with its current text and version.
      skipped.delete(key);
      synced.add(key);
      const c = middlewareClient;
      if (c) {
        await c.sendNotification(DidOpenTextDocumentNotification.type, c.code2ProtocolConverter.asOpenTextDocumentParams(event.document));
      }
    }
  },
  didSave: async (doc, next) => (synced.has(uriKey(doc)) ? next(doc) : undefined),
  willSave: async (event, next) => (synced.has(uriKey(event.document)) ? next(event) : undefined),
  didClose: async (doc, next) => {
    const key = uriKey(doc);
    skipped.delete(key);
    if (synced.delete(key)) return next(doc);
  },
  provideHover: (doc, pos, token, next) => (synced.has(uriKey(doc)) ? next(doc, pos, token) : undefined),
  provideCompletionItem: (doc, pos, ctx, token, next) => (synced.has(uriKey(doc)) ? next(doc, pos, ctx, token) : undefined),
};

async function startClient(): Promise<LanguageClient | undefined> {
  const { command, tried } = resolveServer(extensionContext);
  if (!command) {
    void notifyNotFound(tried);
    return undefined;
  }
  output.appendLine(`starting ${command} (${describePathSetting()})`);
  const serverOptions: ServerOptions = {
    command,
    args: [],
    transport: TransportKind.stdio, // appends --stdio, which asyncapi-ls accepts
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SELECTOR,
    initializationOptions: serverSettings(),
    outputChannel: output,
    middleware,
  };
  synced.clear();
  skipped.clear();
  const c = new LanguageClient(SECTION, 'AsyncAPI Security', serverOptions, clientOptions);
  middlewareClient = c;
  try {
    await c.start();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    output.appendLine(`failed to start ${command}: ${msg}`);
    try {
      await c.dispose();
    } catch {
      /* already dead */
    }
    if (/ENOENT|EACCES|not found/i.test(msg)) void notifyNotFound([command], msg);
    else void vscode.window.showErrorMessage(`AsyncAPI: asyncapi-ls failed to start: ${msg}`);
    return undefined;
  }
  return c;
}

/** Starts the client once (or again when `force`); concurrent callers share one start. */
async function ensureClient(force = false): Promise<LanguageClient | undefined> {
  if (client && !force && client.state !== State.Stopped) return client;
  if (starting) return starting;
  starting = (async () => {
    if (client) {
      const old = client;
      client = undefined;
      try {
        await old.dispose(2000);
      } catch (err) {
        output.appendLine(`stopping the old server: ${err}`);
      }
    }
    client = await startClient();
    // the security view is shown while a server runs
    void vscode.commands.executeCommand('setContext', 'asyncapi-ls.running', !!client);
    if (client) {
      const active = vscode.window.activeTextEditor?.document;
      if (active && isAsyncApi(active)) securityView?.show(active);
      securityView?.schedule(0);
    }
    return client;
  })();
  try {
    return await starting;
  } finally {
    starting = undefined;
  }
}

function maybeStartFor(doc: vscode.TextDocument): void {
  if (!client && !starting && isAsyncApi(doc)) void ensureClient();
}

/** The answer of the server command asyncapi-ls.effectiveSecurity. */
interface EffectiveSecurity { markdown?: unknown; operations?: unknown }

/** Asks the server for the effective security of doc (opening it on the server first if needed). */
async function effectiveSecurity(c: LanguageClient, doc: vscode.TextDocument): Promise<EffectiveSecurity | null> {
  if (!synced.has(uriKey(doc))) {
    // e.g. the key was added a moment ago and the debounced check has not run yet
    synced.add(uriKey(doc));
    skipped.delete(uriKey(doc));
    await c.sendNotification(DidOpenTextDocumentNotification.type, c.code2ProtocolConverter.asOpenTextDocumentParams(doc));
  }
  return (await c.sendRequest(ExecuteCommandRequest.type, {
    command: 'asyncapi-ls.effectiveSecurity',
    arguments: [c.code2ProtocolConverter.asUri(doc.uri)],
  })) as EffectiveSecurity | null;
}

async function showEffectiveSecurity(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isAsyncApi(editor.document)) {
    void vscode.window.showWarningMessage('AsyncAPI: open an AsyncAPI document (YAML or JSON with a root "asyncapi" key) first.');
    return;
  }
  const c = await ensureClient();
  if (!c) return;
  const doc = editor.document;
  let result: EffectiveSecurity | null;
  try {
    result = await effectiveSecurity(c, doc);
  } catch (err) {
    void vscode.window.showErrorMessage(`AsyncAPI: effective security failed: ${err instanceof Error ? err.message : err}`);
    return;
  }
  const markdown = result?.markdown;
  if (typeof markdown !== 'string' || !markdown.trim()) {
    void vscode.window.showInformationMessage('AsyncAPI: the server returned no effective-security table for this document.');
    return;
  }
  // a read-only virtual document (never dirty, no "save?" prompt), rendered beside the editor
  const name = path.basename(doc.uri.path).replace(/\.[^.]*$/, '');
  const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name} effective security.md`, query: doc.uri.toString() });
  reports.set(uri.toString(), markdown);
  reportChanged.fire(uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch (err) {
    output.appendLine(`markdown preview unavailable (${err}); showing the Markdown source`);
    const md = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(md, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
}

/**
 * The "AsyncAPI Security" view in the Explorer: the effective security of the AsyncAPI document
 * last active in an editor, refreshed (debounced) when it changes or gets new diagnostics.
 */
class SecurityView implements vscode.TreeDataProvider<SecurityNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<SecurityNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private doc: vscode.TextDocument | undefined;
  private roots: SecurityNode[] = [];
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor() {
    this.view = vscode.window.createTreeView('asyncapi-ls.securityView', { treeDataProvider: this, showCollapseAll: true });
    this.view.message = 'Open an AsyncAPI document to see the effective security of its operations.';
    this.disposables.push(
      this.view, this.changed,
      vscode.window.onDidChangeActiveTextEditor(e => { if (e && isAsyncApi(e.document)) this.show(e.document); }),
      vscode.workspace.onDidChangeTextDocument(e => { if (e.document === this.doc) this.schedule(); }),
      vscode.languages.onDidChangeDiagnostics(e => {
        if (this.doc && e.uris.some(u => u.toString() === this.doc!.uri.toString())) this.schedule();
      }),
      vscode.workspace.onDidCloseTextDocument(d => { if (d === this.doc) { this.doc = undefined; this.set([], undefined); } }),
      this.view.onDidChangeVisibility(e => { if (e.visible) this.schedule(0); }),
    );
  }

  /** Shows doc (an AsyncAPI document) in the view. */
  show(doc: vscode.TextDocument): void {
    if (doc !== this.doc) { this.doc = doc; this.schedule(0); }
  }

  /** Refreshes after delayMs; a burst of edits costs one request. */
  schedule(delayMs = 300): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  private async refresh(): Promise<void> {
    const doc = this.doc;
    if (!doc || !this.view.visible) return;
    const c = client;
    if (!c || c.state !== State.Running) return;
    const generation = ++this.generation;
    let result: EffectiveSecurity | null;
    try {
      result = await effectiveSecurity(c, doc);
    } catch (err) {
      if (generation === this.generation) output.appendLine(`security view: ${err instanceof Error ? err.message : err}`);
      return; // e.g. cancelled because the document closed: keep what is shown
    }
    if (generation !== this.generation || doc !== this.doc) return; // a newer refresh is on its way
    const ops = Array.isArray(result?.operations) ? (result!.operations as SecurityOperation[]) : [];
    this.set(securityNodes(ops), doc);
  }

  private set(roots: SecurityNode[], doc: vscode.TextDocument | undefined): void {
    this.roots = roots;
    this.view.description = doc ? path.basename(doc.uri.path) : undefined;
    this.view.message = !doc ? 'Open an AsyncAPI document to see the effective security of its operations.'
      : roots.length === 0 ? 'This document has no operations.' : undefined;
    this.changed.fire();
  }

  getTreeItem(n: SecurityNode): vscode.TreeItem {
    const item = new vscode.TreeItem(n.label, n.children.length === 0 ? vscode.TreeItemCollapsibleState.None
      : n.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = n.id;
    item.description = n.description;
    item.tooltip = n.tooltip;
    item.iconPath = new vscode.ThemeIcon(SECURITY_ICONS[n.kind]);
    item.contextValue = n.kind;
    if (this.doc) item.command = { command: 'asyncapi-ls.revealSecurityItem', title: 'Reveal in the document', arguments: [this.doc.uri, n.range] };
    return item;
  }

  getChildren(n?: SecurityNode): SecurityNode[] {
    return n ? n.children : this.roots;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposables.forEach(d => d.dispose());
  }
}

const SECURITY_ICONS: Record<SecurityNode['kind'], string> = {
  operation: 'symbol-method', server: 'server', operationSecurity: 'shield', alternative: 'list-flat', scheme: 'key', scope: 'tag',
};

let securityView: SecurityView | undefined;

/** Selects range in the document (the command behind a click in the security view). */
async function revealSecurityItem(uri: vscode.Uri, range: LspRange): Promise<void> {
  const r = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  // in the editor that already shows the document, if one does (not a second one in the active group)
  const shown = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === uri.toString());
  const editor = await vscode.window.showTextDocument(uri, { selection: r, preserveFocus: false, viewColumn: shown?.viewColumn });
  editor.revealRange(r, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

const REPORT_SCHEME = 'asyncapi-ls-report';
const reports = new Map<string, string>();
const reportChanged = new vscode.EventEmitter<vscode.Uri>();
const reportProvider: vscode.TextDocumentContentProvider = {
  onDidChange: reportChanged.event,
  provideTextDocumentContent: (uri) => reports.get(uri.toString()) ?? '',
};

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionContext = context;
  output = vscode.window.createOutputChannel('AsyncAPI Security');
  context.subscriptions.push(output);

  context.subscriptions.push(
    reportChanged,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reportProvider),
    vscode.commands.registerCommand('asyncapi-ls.showEffectiveSecurity', showEffectiveSecurity),
    vscode.commands.registerCommand('asyncapi-ls.revealSecurityItem', revealSecurityItem),
    (securityView = new SecurityView()),
    vscode.commands.registerCommand('asyncapi-ls.restart', async () => {
      const c = await ensureClient(true);
      if (c) vscode.window.setStatusBarMessage('asyncapi-ls restarted', 3000);
    }),
    vscode.workspace.onDidOpenTextDocument(maybeStartFor),
    vscode.workspace.onDidChangeTextDocument(
      (() => {
        const timers = new Map<string, NodeJS.Timeout>();
        return (e: vscode.TextDocumentChangeEvent) => {
          if (client || starting || !isCandidate(e.document)) return;
          const key = uriKey(e.document);
          clearTimeout(timers.get(key));
          timers.set(key, setTimeout(() => { timers.delete(key); maybeStartFor(e.document); }, 300));
        };
      })(),
    ),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      if (e.affectsConfiguration(`${SECTION}.path`)) {
        // A new binary: restart the running server, or start one when none runs but an AsyncAPI
        // document is open (the path was set after the "not found" message, or the settings
        // reached the extension host after the first start).
        if (starting) await starting; // a start under way read the old path: restart after it
        if (client || vscode.workspace.textDocuments.some(isAsyncApi)) await ensureClient(true);
        return;
      }
      if (client && client.state === State.Running) {
        await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: serverSettings() } });
      }
    }),
    { dispose: () => void client?.stop() },
  );

  vscode.workspace.textDocuments.forEach(maybeStartFor);
}

export async function deactivate(): Promise<void> {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop();
  }
}
