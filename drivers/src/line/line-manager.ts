import { type LineConfig, lineKey } from '../transport.js';
import { HalfDuplexLine } from './half-duplex-line.js';
import { SharedPool } from './shared-pool.js';

/** Meters on one RS-485 line share one HalfDuplexLine; it closes with its last meter. */
export class LineManager {
  private readonly pool = new SharedPool<HalfDuplexLine>();

  acquire(config: LineConfig, maxFrameBytes: number): HalfDuplexLine {
    return this.pool.acquire(lineKey(config), () => new HalfDuplexLine(config, maxFrameBytes));
  }

  release(line: HalfDuplexLine): Promise<void> {
    return this.pool.release(line);
  }
}
