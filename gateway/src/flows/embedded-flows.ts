import type { KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import RED from 'node-red';
import { ValidationError } from '@linli/contract';
import type { Logger } from '../log.js';
import { type FlowSet, loadTrustedKey, validateFlowSet } from './flow-set.js';
import { FlowSetStore } from './flow-set-store.js';
import { logText, type NodeRedLogMsg, nodeRedLogging } from './node-red-log.js';
import { ADMIN_USER, readPasswordHash } from './password.js';
import type { LoginLimiter } from './login-limiter.js';
import type { LinliRuntimeApi } from './runtime-api.js';
import { ensureCredentialKey } from './secret.js';
import { flowsPackageDir, isShipped, shippedFlowSet } from './shipped.js';

export const EDITOR_PATH = '/admin/flows';
const FLOW_FILE = 'flows.json';
const START_TIMEOUT_MS = 30_000;

export interface EmbeddedFlowsOptions {
  dataDir: string;
  api: LinliRuntimeApi;
  passwordFile: string;
  trustedKeyFile?: string;
  rollbackWindowMs: number;
  /** Shared with the status page: wrong passwords from one address slow it down. */
  limiter: LoginLimiter;
  log: Logger;
}

export interface ApplyResult {
  ok: boolean;
  /** The version running after the call. */
  version: string;
  rolledBack: boolean;
  error?: string;
}

/**
 * Node-RED as a library inside the gateway process. The runtime always runs
 * the rules; the editor is mounted on the gateway's own HTTP server under
 * /admin/flows only when a password hash was provisioned (adminAuth is never
 * off, and there is no default password). Node-RED keeps global state, so
 * there is one instance per process.
 */
export class EmbeddedFlows {
  private readonly store: FlowSetStore;
  private readonly userDir: string;
  private running: string | null = null;
  private editorOn = false;
  private applying: Promise<unknown> = Promise.resolve();
  private watch: { errors: NodeRedLogMsg[] } | null = null;
  private selfDeploy = false;
  private trustedKey: KeyObject | undefined;
  private started = false;
  private readonly onStarted = () => void this.flowsStarted();

  constructor(private readonly o: EmbeddedFlowsOptions) {
    this.userDir = join(o.dataDir, 'node-red');
    this.store = new FlowSetStore(join(o.dataDir, 'flowsets'));
  }

  /** Starts the runtime; mounts the editor on `server` when it is given and a password is set. */
  async start(server: Server | null): Promise<void> {
    const { log } = this.o;
    if (this.o.trustedKeyFile) this.trustedKey = loadTrustedKey(readFileSync(this.o.trustedKeyFile, 'utf8'));
    const secret = ensureCredentialKey(join(this.o.dataDir, 'keys', 'flows-credentials.key'));
    const initial = this.prepareFlowFile();
    const pw = readPasswordHash(this.o.passwordFile);
    this.editorOn = Boolean(server) && 'hash' in pw;
    if (!server) log.info('flow editor off: the gateway has no http section');
    else if ('problem' in pw) log.warn({ reason: pw.problem }, 'flow editor and status page off: no password');
    const settings: Record<string, unknown> = {
      userDir: this.userDir,
      flowFile: FLOW_FILE,
      flowFilePretty: true,
      credentialSecret: secret,
      nodesDir: [flowsPackageDir()],
      httpAdminRoot: this.editorOn ? EDITOR_PATH : false,
      // No HTTP-in endpoints: flows act through Linli nodes, not by serving the LAN.
      httpNodeRoot: false,
      disableEditor: !this.editorOn,
      ...(this.editorOn && 'hash' in pw
        ? {
            adminAuth: {
              type: 'credentials',
              users: [{ username: ADMIN_USER, password: pw.hash, permissions: '*' }],
              sessionExpiryTime: 8 * 3600,
            },
          }
        : {}),
      editorTheme: {
        projects: { enabled: false },
        tours: false,
        multiplayer: { enabled: false },
        header: { title: '邻里 Linli · 本地规则' },
      },
      externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
      functionExternalModules: false,
      // No internet at the gateway, and nothing phones home.
      telemetry: { enabled: false, updateNotification: false },
      diagnostics: { enabled: false, ui: false },
      runtimeState: { enabled: false },
      logging: nodeRedLogging(log, (m) => this.watch?.errors.push(m)),
      linli: this.o.api,
    };
    RED.init(server ?? (undefined as unknown as Server), settings);
    // RED.start() resolves before the flows run; the gateway counts as started (and its devices
    // begin) only once the rules listen, so no event of the first seconds slips past them.
    const running = new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), START_TIMEOUT_MS);
      const on = () => {
        clearTimeout(t);
        RED.events.off('flows:started', on);
        resolve(true);
      };
      RED.events.on('flows:started', on);
    });
    RED.events.on('flows:started', this.onStarted);
    this.selfDeploy = true;
    await RED.start();
    if (!(await running))
      log.error({ waitedMs: START_TIMEOUT_MS }, 'the flows did not start; check the node errors above');
    this.started = true;
    this.running = initial;
    log.info({ version: initial, editor: this.editorOn ? EDITOR_PATH : null, nodeRed: RED.version() }, 'flows running');
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // A failed apply was already reported to its caller; stop waits only for it to finish.
    await this.applying.catch(() => {});
    RED.events.off('flows:started', this.onStarted);
    await RED.stop();
  }

  /** The running flow set's version (`+edited` once someone deployed from the editor). */
  version(): string | null {
    return this.running;
  }

  get editorEnabled(): boolean {
    return this.editorOn;
  }

  /** Routes editor requests (under /admin/flows) into Node-RED; false for other paths. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '/';
    if (!this.editorOn || (url !== EDITOR_PATH && !url.startsWith(`${EDITOR_PATH}/`))) return false;
    // The editor loads its assets by relative path: it must be opened with the trailing slash.
    if (url === EDITOR_PATH) {
      res.writeHead(301, { location: `${EDITOR_PATH}/` }).end();
      return true;
    }
    req.url = url.slice(EDITOR_PATH.length);
    if (req.method === 'POST' && req.url.startsWith('/auth/token') && !this.limitLogin(req, res)) return true;
    RED.httpAdmin(req, res, (err?: unknown) => {
      if (!res.headersSent) res.writeHead(err ? 500 : 404).end();
    });
    return true;
  }

  /** Node-RED's password grant goes through the limiter: refused early while locked, counted by outcome. */
  private limitLogin(req: IncomingMessage, res: ServerResponse): boolean {
    const client = req.socket.remoteAddress ?? 'unknown';
    const wait = this.o.limiter.retryAfter(client);
    if (wait > 0) {
      this.o.log.warn({ client }, 'editor login refused: too many wrong passwords');
      res
        .writeHead(429, { 'retry-after': String(Math.ceil(wait / 1000)), 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'too_many_attempts', retryAfterSeconds: Math.ceil(wait / 1000) }));
      return false;
    }
    res.once('finish', () => {
      if (res.statusCode === 200) this.o.limiter.succeeded(client);
      else if (res.statusCode === 401 || res.statusCode === 403) {
        this.o.limiter.failed(client);
        this.o.log.warn({ client }, 'editor login failed');
      }
    });
    return true;
  }

  /**
   * Validates, applies and keeps a flow set; rolls back to the running one if
   * the new flows fail to start (a node error within the rollback window).
   * One apply at a time.
   */
  applyFlowSet(input: unknown): Promise<ApplyResult> {
    const run = this.applying.then(() => this.applyNow(input));
    // The chain only orders applies; each apply's own failure reaches its caller through `run`.
    this.applying = run.catch(() => {});
    return run;
  }

  private async applyNow(input: unknown): Promise<ApplyResult> {
    const { log } = this.o;
    const before = this.running ?? 'none';
    let set: FlowSet;
    try {
      set = validateFlowSet(input, await this.knownTypes(), this.trustedKey);
    } catch (err) {
      const error = err instanceof ValidationError ? err.message : String(err);
      log.warn({ error }, 'flow set refused');
      return { ok: false, version: before, rolledBack: false, error };
    }
    const previousFlows = (await RED.runtime.flows.getFlows({})).flows;
    this.store.beginApply(set, Date.now());
    const failure = await this.deploy(set.flows, true);
    if (!failure) {
      this.store.commit({ version: set.version, flows: set.flows, appliedAt: Date.now() });
      this.running = set.version;
      log.info({ version: set.version, previous: before }, 'flow set applied');
      return { ok: true, version: set.version, rolledBack: false };
    }
    log.error({ version: set.version, error: failure }, 'flow set failed to start; rolling back');
    const again = await this.deploy(previousFlows, false);
    this.store.clearPending();
    if (again) log.error({ error: again }, 'the previous flows did not restart cleanly either');
    return { ok: false, version: before, rolledBack: true, error: failure };
  }

  /** Deploys flows; with `watch`, returns the first node error seen until the window after start closes. */
  private async deploy(flows: Record<string, unknown>[], watch: boolean): Promise<string | null> {
    const watcher = { errors: [] as NodeRedLogMsg[] };
    if (watch) this.watch = watcher;
    const started = new Promise<void>((resolve) => {
      const on = () => {
        RED.events.off('flows:started', on);
        resolve();
      };
      RED.events.on('flows:started', on);
    });
    try {
      this.selfDeploy = true;
      await RED.runtime.flows.setFlows({ flows: { flows }, deploymentType: 'full' });
      await started;
      if (watch) await new Promise((r) => setTimeout(r, this.o.rollbackWindowMs));
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    } finally {
      if (this.watch === watcher) this.watch = null;
    }
    const first = watcher.errors[0];
    if (!first) return null;
    const what = logText(first.msg);
    return `${first.type ?? 'node'}${first.id ? ` ${first.id}` : ''}: ${what}`;
  }

  /** A deploy this class did not make came from the editor: the running set is now a local edit. */
  private flowsStarted(): void {
    if (this.selfDeploy) {
      this.selfDeploy = false;
      return;
    }
    if (!this.running) return;
    const version = this.running.endsWith('+edited') ? this.running : `${this.running.slice(0, 57)}+edited`;
    this.running = version;
    this.o.log.info({ version }, 'flows deployed from the editor');
    // Recorded as the current set, so a release's shipped flows never overwrite local edits.
    // A throw in the recording step (a full disk) lands in the catch, never as an unhandled rejection.
    RED.runtime.flows
      .getFlows({})
      .then(({ flows }) => this.store.commit({ version, flows, appliedAt: Date.now() }))
      .catch((err: unknown) => this.o.log.error({ err: String(err) }, 'cannot record the edited flows'));
  }

  private async knownTypes(): Promise<Set<string>> {
    const sets = await RED.runtime.nodes.getNodeList({});
    return new Set(sets.filter((s) => s.enabled && !s.err).flatMap((s) => s.types));
  }

  /**
   * Chooses what Node-RED loads at start: after a crash mid-apply the current
   * set is restored; on first start (or when the shipped flows still run and a
   * newer release ships new ones) the shipped set is written.
   */
  private prepareFlowFile(): string {
    const { log } = this.o;
    const file = join(this.userDir, FLOW_FILE);
    let current = this.store.current();
    if (this.store.pending()) {
      log.warn({ pending: this.store.pending()!.version }, 'an apply was interrupted; restoring the current flow set');
      this.store.clearPending();
      if (current) this.writeFlowFile(file, current.flows);
    }
    const shipped = shippedFlowSet();
    if (!current || (isShipped(current.version) && current.version !== shipped.version)) {
      if (current) log.info({ from: current.version, to: shipped.version }, 'updating the shipped flows');
      this.writeFlowFile(file, shipped.flows);
      this.store.commit({ ...shipped, appliedAt: Date.now() });
      current = this.store.current()!;
    }
    return current.version;
  }

  private writeFlowFile(file: string, flows: Record<string, unknown>[]): void {
    mkdirSync(this.userDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(flows, null, 2), { mode: 0o600 });
  }
}
