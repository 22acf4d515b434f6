import { seededRandom } from '@linli/contract';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isapiTime } from '../gate/acs-search.js';
import { CODES } from '../gate/isapi-codes.js';
import { DigestGuard } from './digest-guard.js';
import { searchLog } from './gate-sim-search.js';
import { People, type Resident, trafficWeight } from './gate-sim-people.js';
import {
  type AcsRecord,
  accessAlert,
  type Device,
  heartbeat,
  part,
  type PlateRead,
  plateAlert,
  responseStatus,
} from './gate-sim-records.js';

export interface GateSimOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  username: string;
  password: string;
  /** `door`: card/face/password terminal; `barrier`: vehicle barrier with plate recognition. */
  mode?: 'door' | 'barrier';
  doors?: number;
  seed?: number;
  heartbeatMs?: number;
  /** Mean time between random passes at a weekday-afternoon rate; null: no background traffic. */
  trafficMs?: number | null;
  /** Chance that a background event is a forced door instead of a pass. */
  forcedChance?: number;
  nonceTtlMs?: number;
  /** Failed logins before the user is locked (0: never), and for how long. */
  lockAfter?: number;
  lockMs?: number;
}

export interface RemoteOpen {
  door: number;
  username: string;
  at: number;
  from: string;
}

const BOUNDARY = 'MIME_boundary';
const MAX_LOG = 100_000;
const JSON_TYPE = 'application/json; charset="UTF-8"';

/**
 * A simulated ISAPI access terminal or vehicle barrier: a real HTTP server
 * with Digest auth, the alertStream (multipart/mixed, heartbeats, face and
 * plate pictures), the AcsEvent log search and remote door control. Test
 * hooks inject events and faults; background traffic follows a day's rhythm.
 */
export class GateSimulator {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly streams = new Set<ServerResponse>();
  private readonly guard: DigestGuard;
  private readonly random: () => number;
  readonly people: People;
  /** The terminal's event log (AcsEvent search reads it). */
  readonly log: AcsRecord[] = [];
  readonly plates: PlateRead[] = [];
  readonly remoteOpens: RemoteOpen[] = [];
  private serial = 0;
  private timers: NodeJS.Timeout[] = [];
  private hung = false;
  private refuseOpen = false;
  private boundPort = 0;
  /** Requests seen per path, for tests (e.g. that a catch-up search happened). */
  readonly hits = new Map<string, number>();

  constructor(private readonly o: GateSimOptions) {
    this.random = seededRandom(o.seed ?? 7);
    this.people = new People(this.random);
    this.guard = new DigestGuard({
      realm: 'IP Camera(C1234)',
      username: o.username,
      password: o.password,
      nonceTtlMs: o.nonceTtlMs ?? 300_000,
      lockAfter: o.lockAfter ?? 5,
      lockMs: o.lockMs ?? 30_000,
    });
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort || this.o.port || 0, this.o.host ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.boundPort = (server.address() as { port: number }).port;
    this.timers.push(setInterval(() => this.beat(), this.o.heartbeatMs ?? 2000));
    if (this.o.trafficMs) this.scheduleTraffic();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await this.vanish();
  }

  /** Gone from the network: listener closed, every connection cut (state kept for `reappear`). */
  async vanish(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.streams.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Back on the same port after `vanish`. */
  async reappear(): Promise<void> {
    const timers = this.timers;
    this.timers = [];
    for (const t of timers) clearTimeout(t);
    await this.start();
  }

  streamCount(): number {
    return this.streams.size;
  }

  // ---- injected events (each returns what the terminal recorded, names included) ----

  pass(o: { method?: 'card' | 'face' | 'password' | 'qr'; direction?: 'in' | 'out'; door?: number } = {}): AcsRecord {
    const who = this.people.resident();
    const method = o.method ?? 'card';
    const code = method === 'face' ? CODES.facePass : method === 'password' ? CODES.passwordPass : CODES.cardPass;
    return this.record(
      code,
      {
        doorNo: o.door ?? 1,
        cardReaderNo: o.direction === 'out' ? 2 : 1,
        ...this.identity(who, method),
        currentVerifyMode: method === 'qr' ? 'qrCode' : 'cardOrFaceOrPw',
      },
      method === 'face',
    );
  }

  /** `n` refused attempts (e.g. someone trying cards at night). */
  refused(n = 1, o: { door?: number; reason?: 'unknownCard' | 'outsideSchedule' | 'faceFail' } = {}): AcsRecord[] {
    const code = CODES[o.reason ?? 'unknownCard'];
    return Array.from({ length: n }, () =>
      this.record(code, {
        doorNo: o.door ?? 1,
        cardReaderNo: 1,
        ...(o.reason === 'faceFail' ? {} : { cardNo: this.people.strangerCard() }),
      }),
    );
  }

  forced(door = 1): AcsRecord {
    return this.record(CODES.forced, { doorNo: door });
  }

  /** The door opened `seconds` ago and the terminal now reports it held open. */
  heldOpen(door = 1, seconds = 60): AcsRecord[] {
    const now = Date.now();
    return [
      this.record(CODES.doorOpen, { doorNo: door }, false, now - seconds * 1000),
      this.record(CODES.heldOpen, { doorNo: door }, false, now),
    ];
  }

  tamper(door = 1): AcsRecord {
    return this.record(CODES.tamper, { doorNo: door });
  }

  /** A vehicle at the barrier; plates go on the stream only (ISAPI keeps them in a separate traffic log). */
  vehicle(o: { plate?: string; direction?: 'in' | 'out'; blocked?: boolean } = {}): PlateRead {
    const p: PlateRead = {
      licensePlate: o.plate ?? this.people.plate(),
      direction: o.direction === 'out' ? 'reverse' : 'forward',
      vehicleListName: o.blocked ? 'blockList' : 'allowList',
      time: isapiTime(Date.now()),
    };
    this.plates.push(p);
    const d = this.device();
    this.broadcast(part(BOUNDARY, JSON_TYPE, Buffer.from(JSON.stringify(plateAlert(d, p)))));
    this.broadcast(this.picture('vehicle.jpg'));
    return p;
  }

  // ---- faults ----

  /** A JSON part that does not parse (it still carries a name, as a broken real one would). */
  malformed(): void {
    const who = this.people.resident();
    const body = Buffer.from(
      `{"eventType":"AccessControllerEvent","AccessControllerEvent":{"name":"${who.name}","cardNo":"${who.cardNo}",`,
    );
    this.broadcast(part(BOUNDARY, JSON_TYPE, body));
  }

  /** Records a pass, sends only the first half of its part, then cuts every stream. */
  dropMidPart(): AcsRecord {
    const r = this.record(
      CODES.cardPass,
      { doorNo: 1, cardReaderNo: 1, ...this.identity(this.people.resident(), 'card') },
      false,
      Date.now(),
      false,
    );
    const whole = part(BOUNDARY, JSON_TYPE, Buffer.from(JSON.stringify(accessAlert(this.device(), r))));
    for (const res of this.streams) {
      res.write(whole.subarray(0, Math.floor(whole.length / 2)));
      res.socket?.destroy();
    }
    this.streams.clear();
    return r;
  }

  /** Every nonce handed out so far expires now: clients must handle `stale=true`. */
  expireNonces(): void {
    this.guard.expireAll();
  }

  /** Correct answers that came with an expired nonce. */
  get staleAnswers(): number {
    return this.guard.staleAnswers;
  }

  /** Hung: streams go silent and new requests are accepted but never answered. */
  hang(on: boolean): void {
    this.hung = on;
  }

  /** The terminal answers remote-open with an ISAPI error (e.g. door in always-closed mode). */
  refuseRemoteOpen(on: boolean): void {
    this.refuseOpen = on;
  }

  // ---- internals ----

  private identity(who: Resident, method: string): Partial<AcsRecord> {
    return method === 'card' || method === 'qr'
      ? { name: who.name, cardNo: who.cardNo, employeeNoString: who.employeeNo, userType: 'normal' }
      : { name: who.name, employeeNoString: who.employeeNo, userType: 'normal' };
  }

  private record(
    code: readonly [number, number],
    fields: Partial<AcsRecord> & { doorNo: number },
    withPicture = false,
    at = Date.now(),
    send = true,
  ): AcsRecord {
    const r: AcsRecord = { major: code[0], minor: code[1], time: isapiTime(at), serialNo: ++this.serial, ...fields };
    this.log.push(r);
    if (this.log.length > MAX_LOG) this.log.shift();
    if (send) {
      this.broadcast(part(BOUNDARY, JSON_TYPE, Buffer.from(JSON.stringify(accessAlert(this.device(), r)))));
      if (withPicture) this.broadcast(this.picture('face.jpg'));
    }
    return r;
  }

  private picture(name: string): Buffer {
    // A JPEG's markers around random bytes: enough for a client to have to skip a real-sized binary part.
    const body = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(20_000), Buffer.from([0xff, 0xd9])]);
    return part(
      BOUNDARY,
      'image/jpeg',
      body,
      true,
      `Content-Disposition: form-data; name="Picture"; filename="${name}"\r\n`,
    );
  }

  private device(): Device {
    return {
      ip: '127.0.0.1',
      port: this.boundPort,
      mac: 'a4:d5:c2:00:00:01',
      name: this.o.mode === 'barrier' ? '车闸' : '门禁',
    };
  }

  private broadcast(bytes: Buffer): void {
    if (this.hung) return;
    for (const res of this.streams) res.write(bytes);
  }

  private beat(): void {
    // Heartbeats carry no Content-Length: the part runs to the next delimiter, which terminals also do.
    this.broadcast(part(BOUNDARY, JSON_TYPE, Buffer.from(JSON.stringify(heartbeat(this.device(), Date.now()))), false));
  }

  private scheduleTraffic(): void {
    const mean = this.o.trafficMs! / trafficWeight(Date.now());
    const wait = -Math.log(1 - this.random()) * mean;
    this.timers.push(
      setTimeout(() => {
        this.timers.shift();
        this.randomEvent();
        this.scheduleTraffic();
      }, wait),
    );
  }

  private randomEvent(): void {
    const r = this.random();
    if (r < (this.o.forcedChance ?? 0.002))
      return void this.forced(1 + Math.floor(this.random() * (this.o.doors ?? 1)));
    if (this.o.mode === 'barrier')
      return void this.vehicle({ direction: this.random() < 0.5 ? 'in' : 'out', blocked: r > 0.98 });
    if (r > 0.96) return void this.refused(1);
    const methods = ['card', 'face', 'face', 'password', 'qr'] as const;
    this.pass({
      method: methods[Math.floor(this.random() * methods.length)]!,
      direction: this.random() < 0.5 ? 'in' : 'out',
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.hung) return; // accepted, never answered
    const path = (req.url ?? '').split('?')[0]!;
    this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
    const verdict = this.guard.check(req);
    if (!verdict.ok) {
      req.resume();
      res.writeHead(401, { 'WWW-Authenticate': verdict.challenge, 'Content-Type': 'application/xml' });
      res.end(responseStatus(req.url ?? '', 4, 'Unauthorized', verdict.locked ? 'userLocked' : 'unauthorized'));
      return;
    }
    if (req.method === 'GET' && path === '/ISAPI/Event/notification/alertStream') return this.openStream(res);
    if (req.method === 'GET' && path === '/ISAPI/System/deviceInfo') {
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><DeviceInfo version="2.0"><deviceName>${this.device().name}</deviceName><model>LINLI-SIM-${this.o.mode === 'barrier' ? 'ANPR' : 'ACS'}</model></DeviceInfo>`,
      );
      return;
    }
    const body: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 65_536) body.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(body).toString('utf8');
      if (req.method === 'POST' && path === '/ISAPI/AccessControl/AcsEvent') return this.search(text, res);
      const door = /^\/ISAPI\/AccessControl\/RemoteControl\/door\/(\d+)$/.exec(path);
      if (req.method === 'PUT' && door) return this.remoteOpen(Number(door[1]), text, verdict.username, req, res);
      res.writeHead(404, { 'Content-Type': 'application/xml' });
      res.end(responseStatus(req.url ?? '', 4, 'Invalid Operation', 'notSupport'));
    });
  }

  private openStream(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': `multipart/mixed; boundary=${BOUNDARY}`, Connection: 'keep-alive' });
    this.streams.add(res);
    res.once('close', () => this.streams.delete(res));
  }

  private search(text: string, res: ServerResponse): void {
    const out = searchLog(this.log, text);
    res.writeHead(out.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(out.body));
  }

  private remoteOpen(door: number, text: string, username: string, req: IncomingMessage, res: ServerResponse): void {
    const cmd = /<cmd>\s*([A-Za-z]+)\s*<\/cmd>/.exec(text)?.[1];
    const fail = (status: number, s: string, sub: string) => {
      res.writeHead(status, { 'Content-Type': 'application/xml' });
      res.end(responseStatus(req.url ?? '', 4, s, sub));
    };
    if (cmd !== 'open') return fail(400, 'Invalid Content', 'badXmlContent');
    if (door < 1 || door > (this.o.doors ?? 1)) return fail(400, 'Invalid Content', 'badParameters');
    if (this.refuseOpen) return fail(403, 'Invalid Operation', 'doorAlwaysClosed');
    this.remoteOpens.push({ door, username, at: Date.now(), from: req.socket.remoteAddress ?? '' });
    this.record(CODES.remoteOpen, { doorNo: door });
    res.writeHead(200, { 'Content-Type': 'application/xml' });
    res.end(responseStatus(req.url ?? '', 1, 'OK', 'ok'));
  }
}
