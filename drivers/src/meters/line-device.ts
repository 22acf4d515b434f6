import type { HalfDuplexLine } from '../line/half-duplex-line.js';
import { PollingDevice } from '../polling-device.js';
import type { LineConfig } from '../transport.js';

/** A meter on a shared half-duplex line: takes the line when started, gives it back when stopped. */
export abstract class LineDevice extends PollingDevice {
  protected line: HalfDuplexLine | null = null;

  /** The line this meter hangs off, and the longest frame its protocol can send. */
  protected abstract lineSpec(): { config: LineConfig; maxFrameBytes: number };

  protected acquire(): void {
    const { config, maxFrameBytes } = this.lineSpec();
    this.line = this.ctx.lines.acquire(config, maxFrameBytes);
  }

  protected async release(): Promise<void> {
    if (this.line) await this.ctx.lines.release(this.line);
    this.line = null;
  }
}
