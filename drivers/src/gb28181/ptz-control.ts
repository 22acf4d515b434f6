import { buildManscdp, type Charset, type Manscdp, text0 } from './manscdp.js';
import { type PtzFrame, parsePtzCmd } from './ptz-cmd.js';

/** A DeviceControl carrying a PTZCmd: the frame, or why it cannot be obeyed; null for any other message. */
export function readPtzControl(
  m: Manscdp,
): { ok: true; hex: string; frame: PtzFrame } | { ok: false; hex: string; error: string } | null {
  if (m.root !== 'Control' || m.cmdType !== 'DeviceControl' || !('PTZCmd' in m.body)) return null;
  const hex = text0(m.body.PTZCmd).trim();
  const r = parsePtzCmd(hex);
  return r.ok ? { ok: true, hex, frame: r.value } : { ok: false, hex, error: r.error };
}

/** The DeviceControl answer (A.2.6 设备控制应答): Result OK or ERROR, with the command's SN. */
export function deviceControlResponseXml(deviceId: string, sn: number, ok: boolean, charset: Charset): string {
  return buildManscdp(
    'Response',
    { cmdType: 'DeviceControl', sn, deviceId },
    [['Result', ok ? 'OK' : 'ERROR']],
    charset,
  );
}

/**
 * Paces one channel's PTZ commands. A platform whose operator holds a
 * joystick repeats the same command every 100–200 ms: a repeat of the motion
 * the camera is already doing is not sent again (unless `refreshMs` has
 * passed), at most one command is in flight, and while one is, only the
 * latest waiting command is kept (a stop replaces a move, so it is never
 * lost and never queued behind stale moves).
 */
export class PtzGate {
  private current: string | null = null;
  private currentAt = 0;
  private busy = false;
  private next: { key: string; run: () => Promise<boolean>; done: (ok: boolean) => void }[] = [];

  constructor(
    private readonly refreshMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `run` unless it repeats the current motion; resolves with its result (true for a skipped repeat or a superseded command). */
  submit(key: string, run: () => Promise<boolean>): Promise<boolean> {
    if (!this.busy && key === this.current && this.now() - this.currentAt < this.refreshMs)
      return Promise.resolve(true);
    return new Promise<boolean>((done) => {
      // Superseded commands are answered OK: the platform's latest wish is the one carried out.
      for (const old of this.next.splice(0)) old.done(true);
      this.next.push({ key, run, done });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let job = this.next.shift(); job; job = this.next.shift()) {
        if (job.key === this.current && this.now() - this.currentAt < this.refreshMs) {
          job.done(true);
          continue;
        }
        let ok = false;
        try {
          ok = await job.run();
        } catch {
          ok = false;
        }
        this.current = ok ? job.key : null;
        this.currentAt = this.now();
        job.done(ok);
      }
    } finally {
      this.busy = false;
    }
  }
}
