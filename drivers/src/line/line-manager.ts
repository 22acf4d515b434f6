import { type LineConfig, lineKey } from '../transport.js';
import { HalfDuplexLine } from './half-duplex-line.js';

/** Meters on one RS-485 line share one HalfDuplexLine; it closes with its last meter. */
export class LineManager {
  private readonly lines = new Map<string, { line: HalfDuplexLine; users: number }>();

  acquire(config: LineConfig, maxFrameBytes: number): HalfDuplexLine {
    const key = lineKey(config);
    let entry = this.lines.get(key);
    if (!entry) {
      entry = { line: new HalfDuplexLine(config, maxFrameBytes), users: 0 };
      this.lines.set(key, entry);
    }
    entry.users++;
    return entry.line;
  }

  async release(line: HalfDuplexLine): Promise<void> {
    const entry = this.lines.get(line.key);
    if (!entry || --entry.users > 0) return;
    this.lines.delete(line.key);
    await entry.line.close();
  }
}
