import { readFileSync } from 'node:fs';
import { type EventDraft, FieldFault, LinliError } from '@linli/contract';
import type { IsapiGateDefinition } from '../definition.js';
import type { DeviceConfig, DeviceContext, DeviceHandle } from '../device-types.js';
import type { IsapiTransport } from '../transport.js';
import { newestSerial, searchAll } from './acs-search.js';
import { ALERT_STREAM_PATH, readAlertStream } from './alert-stream.js';
import { draftOf } from './gate-events.js';
import { IsapiClient } from './isapi-client.js';
import { boundaryOf } from './multipart.js';
import { type GateFact, type MaskMode, minimiseAccess, minimiseAlert } from './minimise.js';
import { openDoor } from './remote-open.js';
import { SerialDedup } from './serial-dedup.js';

const MAX_PART_BYTES = 64 * 1024;
const BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** Terminals lock a user out after a few failed logins: wrong credentials are retried slowly. */
const AUTH_BACKOFF_MS = 60_000;
/** Catch-up searches reach this far behind the last event seen, for clock jitter between searches. */
const CATCH_UP_MARGIN_MS = 60_000;

/**
 * An ISAPI access terminal or vehicle barrier. Holds one long-lived alert
 * stream; after every reconnect it searches the terminal's event log for what
 * it missed, delivering each terminal serial number once. Online/offline are
 * events, one per change: a dropped stream that reconnects at once is not an
 * outage; a failed reconnect is.
 */
export class GateDevice implements DeviceHandle {
  readonly id: string;
  private readonly t: IsapiTransport;
  private readonly mask: MaskMode;
  private readonly abort = new AbortController();
  private client: IsapiClient | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;
  private isOnline: boolean | null = null;
  private wake: (() => void) | null = null;
  private queue: Promise<void> = Promise.resolve();
  /** Stream facts held back while a catch-up search runs, so older events go out first. */
  private held: GateFact[] | null = null;
  private readonly dedup = new SerialDedup();
  private floorKnown = false;
  private lastEventTime: number | null = null;
  private firstSessionAt: number | null = null;
  private readonly openedAt = new Map<number, number>();
  private ignored = 0;

  constructor(
    private readonly def: IsapiGateDefinition,
    private readonly cfg: DeviceConfig,
    private readonly ctx: DeviceContext,
  ) {
    if (cfg.transport.kind !== 'isapi') throw new LinliError('CONFIG', `device ${cfg.id}: not an ISAPI transport`);
    this.id = cfg.id;
    this.t = cfg.transport;
    this.mask = this.t.mask ?? 'last4';
    if ((this.t.password === undefined) === (this.t.passwordFile === undefined))
      throw new LinliError(
        'CONFIG',
        `device ${cfg.id}: give exactly one of transport.password and transport.passwordFile`,
      );
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
    await this.loop;
    await this.queue;
  }

  online(): boolean | null {
    return this.isOnline;
  }

  latest(): null {
    return null;
  }

  /** `gate.open {door?}`: door number (1 = first) or name from `doors`; resolves `{door, openedAt}`. */
  async command(name: string, args: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
    if (name !== 'gate.open') throw new LinliError('UNSUPPORTED', `gate ${this.id} does not take command "${name}"`);
    if (!this.client || this.stopped) throw new LinliError('NOT_RUNNING', `gate ${this.id} is not running`);
    const door = this.doorNumber(args.door);
    await openDoor(this.client, door);
    const openedAt = Date.now();
    this.ctx.log.info('door opened remotely', { door });
    return { door, openedAt };
  }

  private doorNumber(arg: unknown): number {
    const names = this.t.doors ?? ['1'];
    if (arg === undefined) return 1;
    if (typeof arg === 'number' && Number.isInteger(arg) && arg >= 1 && arg <= names.length) return arg;
    if (typeof arg === 'string' && names.includes(arg)) return names.indexOf(arg) + 1;
    throw new LinliError(
      'INVALID_ARGS',
      `gate ${this.id}: door must be 1..${names.length} or one of ${names.map((n) => `"${n}"`).join(', ')}`,
    );
  }

  private doorName(n: number): string {
    return this.t.doors?.[n - 1] ?? String(n);
  }

  private async run(): Promise<void> {
    let password: string;
    try {
      password = this.t.password ?? readFileSync(this.t.passwordFile!, 'utf8').trim();
      if (!password) throw new Error('file is empty');
    } catch (err) {
      await this.goOffline(`password file ${this.t.passwordFile} unreadable (${errText(err)})`);
      return;
    }
    this.client = new IsapiClient({
      host: this.t.host,
      port: this.t.port ?? 80,
      username: this.t.username,
      password,
      timeoutMs: Math.max(this.cfg.timeoutMs, 2000),
    });
    let failures = 0;
    while (!this.stopped) {
      const began = Date.now();
      const reason = await this.session().catch((err: unknown) => err);
      if (this.stopped) break;
      if (typeof reason === 'string') {
        failures = 0;
        this.ctx.log.warn('alert stream ended; reconnecting', { reason });
        // A stream that dies at once every time would spin; a healthy one that ran a while reconnects at once.
        if (Date.now() - began < 1000) await this.sleep(BACKOFF_MS);
        continue;
      }
      failures++;
      await this.goOffline(errText(reason));
      const auth = reason instanceof FieldFault && reason.code === 'AUTH';
      await this.sleep(auth ? AUTH_BACKOFF_MS : Math.min(BACKOFF_MS * 2 ** (failures - 1), MAX_BACKOFF_MS));
    }
  }

  /** One connection: resolves with why the stream ended, rejects if it never opened. */
  private async session(): Promise<string> {
    const client = this.client!;
    const res = await client.stream(ALERT_STREAM_PATH, this.abort.signal);
    if (res.statusCode !== 200) {
      res.destroy();
      throw new FieldFault(
        'REFUSED',
        `gate terminal ${client.address} answered HTTP ${res.statusCode} to the alert stream`,
      );
    }
    // A 200 that is not an event stream (a login page, a proxy) is a fault, not a session that ends at once.
    const type = String(res.headers['content-type'] ?? '');
    if (!boundaryOf(type)) {
      res.destroy();
      throw new FieldFault(
        'DEVICE_REPLY',
        `gate terminal ${client.address} sent ${type || 'no Content-Type'}, not a multipart alert stream`,
      );
    }
    this.held = [];
    const ended = readAlertStream(
      res,
      { maxPartBytes: MAX_PART_BYTES, idleMs: this.t.heartbeatTimeoutMs ?? 30_000 },
      {
        json: (v) => this.onAlert(v),
        malformed: (message) => this.ctx.log.warn('unusable alert stream part', { error: message }),
      },
    );
    await this.goOnline();
    await this.catchUp(client);
    const reason = await ended;
    await this.queue;
    return reason;
  }

  private onAlert(value: unknown): void {
    const m = minimiseAlert(value, this.mask);
    if (m === 'heartbeat') return;
    if (m === 'ignored') {
      this.ignored++;
      return;
    }
    if (this.held) this.held.push(m);
    else this.enqueue(m, false);
  }

  /** Reads what the terminal logged while we were away; on the first connection only where its log ends. */
  private async catchUp(client: IsapiClient): Promise<void> {
    try {
      if (!this.floorKnown) {
        this.firstSessionAt = Date.now();
        this.dedup.floor = await newestSerial(client, Date.now(), this.abort.signal).catch((err: unknown) => {
          this.ctx.log.warn('newest-event search failed; catch-up will start from now', { error: errText(err) });
          return 0;
        });
        this.floorKnown = true;
        return;
      }
      const from = (this.lastEventTime ?? this.firstSessionAt ?? Date.now()) - CATCH_UP_MARGIN_MS;
      const r = await searchAll(
        client,
        from,
        Date.now() + CATCH_UP_MARGIN_MS,
        async (items) => {
          const facts = items
            .map((i) => minimiseAccess(i, null, this.mask))
            .filter((f): f is GateFact => typeof f === 'object' && f.serialNo !== undefined)
            .sort((a, b) => a.serialNo! - b.serialNo!);
          for (const f of facts) this.enqueue(f, true);
          await this.queue;
        },
        this.abort.signal,
      );
      if (!r.complete) this.ctx.log.warn('catch-up stopped at its page limit; older events were not fetched', r);
    } catch (err) {
      if (!this.stopped)
        this.ctx.log.warn('catch-up search failed; events while disconnected may be missing', { error: errText(err) });
    } finally {
      const held = this.held ?? [];
      this.held = null;
      for (const f of held) this.enqueue(f, false);
    }
  }

  private enqueue(fact: GateFact, fromSearch: boolean): void {
    this.queue = this.queue.then(() => this.deliver(fact, fromSearch));
  }

  private async deliver(fact: GateFact, fromSearch: boolean): Promise<void> {
    if (fact.serialNo !== undefined && !this.dedup.admit(fact.serialNo, fromSearch)) return;
    this.lastEventTime = Math.max(this.lastEventTime ?? 0, fact.time);
    if (fact.kind === 'door_open') {
      this.openedAt.set(fact.door, fact.time);
      return;
    }
    let heldSeconds = 0;
    if (fact.kind === 'held_open') {
      const since = this.openedAt.get(fact.door);
      heldSeconds = since !== undefined && fact.time >= since ? Math.round((fact.time - since) / 1000) : 0;
    }
    const draft = draftOf(this.id, fact, this.doorName(fact.door), heldSeconds);
    if (draft) await this.emitSafe(draft);
  }

  private async goOnline(): Promise<void> {
    if (this.isOnline === true) return;
    this.isOnline = true;
    this.ctx.log.info('device online');
    await this.emitSafe({ kind: 'device.online', deviceId: this.id, deviceTime: Date.now(), payload: {} });
  }

  private async goOffline(reason: string): Promise<void> {
    if (this.isOnline === false) return;
    this.isOnline = false;
    this.ctx.log.warn('device offline', { reason });
    await this.emitSafe({
      kind: 'device.offline',
      deviceId: this.id,
      deviceTime: Date.now(),
      payload: { reason: reason.slice(0, 200) },
    });
  }

  private async emitSafe(draft: EventDraft): Promise<void> {
    try {
      await this.ctx.emit(draft);
    } catch (err) {
      this.ctx.log.warn('event not buffered', { kind: draft.kind, error: errText(err) });
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Event codes seen that Linli does not use (for diagnostics). */
  ignoredCount(): number {
    return this.ignored;
  }

  get role(): IsapiGateDefinition['role'] {
    return this.def.role;
  }
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
