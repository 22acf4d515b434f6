import { type ChildProcess, spawn } from 'node:child_process';
import { liveGrabs } from '../../camera/ffmpeg-grab.js';
import { locateFfmpeg } from '../../camera/ffmpeg-path.js';
import { PlatformMedia } from './platform-media.js';
import { rtpPackets, type RtpState, scrOf, splitPacks, toGbPack } from './ps-rtp.js';
import type { MediaOffer } from './sdp.js';

/**
 * One live view: ffmpeg pulls the camera's RTSP (over TCP), copies the H.264
 * into an MPEG-2 program stream on its stdout, and each pack goes out as
 * RTP (payload type and SSRC from the platform's SDP) over UDP, or over TCP
 * with RFC 4571 framing when the platform listens (a=setup:passive). ffmpeg
 * runs in its own process group; `stop()` kills it and resolves after it
 * has exited, so a BYE leaves nothing behind.
 */
export class LiveStream {
  private child: ChildProcess | null = null;
  private readonly media: PlatformMedia;
  private exited: Promise<void> = Promise.resolve();
  private pending: Buffer = Buffer.alloc(0);
  private readonly rtp: RtpState;
  /** Packets sent, for status and tests. */
  sent = 0;
  /** Why the stream ended on its own (ffmpeg exited, the platform closed TCP), or null. */
  ended: string | null = null;

  constructor(
    private readonly url: string,
    offer: MediaOffer,
    private readonly onEnd: (why: string) => void = () => undefined,
  ) {
    this.media = new PlatformMedia(offer);
    this.rtp = { ssrc: offer.ssrc, seq: Math.floor(Math.random() * 0xffff), payloadType: offer.psPayloadType };
  }

  /** Opens the media socket (its local port goes into the answer SDP) before ffmpeg starts. */
  async open(bindHost: string): Promise<{ port: number }> {
    return { port: await this.media.open(bindHost) };
  }

  async start(): Promise<void> {
    await this.media.connect((why) => this.end(why));
    const ffmpeg = await locateFfmpeg();
    const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', this.url];
    // Copy the camera's H.264 (no re-encoding on a small gateway); MPEG-2 PS in 2048-byte packs.
    args.push('-map', '0:v:0', '-c:v', 'copy', '-an', '-f', 'vob', 'pipe:1');
    const child = spawn(ffmpeg, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    if (child.pid) liveGrabs.add(child.pid);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
    child.stdout!.on('data', (d: Buffer) => this.onPs(d));
    this.exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        if (child.pid) liveGrabs.delete(child.pid);
        this.end(`ffmpeg exited (${signal ?? code})${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`);
        resolve();
      }),
    );
  }

  async stop(): Promise<void> {
    this.ended ??= 'stopped';
    const pid = this.child?.pid;
    if (pid && this.child?.exitCode === null && this.child.signalCode === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        this.child?.kill('SIGKILL');
      }
    }
    await this.exited;
    await this.media.close();
  }

  private onPs(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const { packs, rest } = splitPacks(this.pending);
    this.pending = Buffer.from(rest);
    for (const pack of packs) {
      const ts = scrOf(pack) ?? 0;
      for (const pkt of rtpPackets(toGbPack(pack), ts, this.rtp)) {
        this.media.send(pkt);
        this.sent++;
      }
    }
  }

  private end(why: string): void {
    if (this.ended) return;
    this.ended = why;
    this.onEnd(why);
  }
}
