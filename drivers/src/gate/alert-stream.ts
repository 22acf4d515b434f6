import type { IncomingMessage } from 'node:http';
import { boundaryOf, MultipartReader } from './multipart.js';

export const ALERT_STREAM_PATH = '/ISAPI/Event/notification/alertStream';

export interface AlertStreamHandlers {
  /** One JSON part, parsed. Called in stream order. */
  json(value: unknown): void;
  /** A part that could not be used; the message never quotes the part (it may hold names). */
  malformed(message: string): void;
}

export interface AlertStreamOptions {
  maxPartBytes: number;
  /** No byte for this long (terminals send a heartbeat every few seconds) means the link is dead. */
  idleMs: number;
}

/**
 * Reads one connection's alert stream until it ends. Resolves with why it
 * ended (closed by the terminal, idle, cut off); never rejects, so the caller's
 * reconnect loop has one path. Only JSON parts are buffered; pictures (face
 * captures, plate images) are skipped unread and never stored.
 */
export function readAlertStream(res: IncomingMessage, o: AlertStreamOptions, on: AlertStreamHandlers): Promise<string> {
  return new Promise((resolve) => {
    const boundary = boundaryOf(String(res.headers['content-type'] ?? ''));
    if (!boundary) {
      res.destroy();
      resolve(`alert stream is not multipart (Content-Type ${String(res.headers['content-type'] ?? 'missing')})`);
      return;
    }
    let settled = false;
    let idle: NodeJS.Timeout;
    const finish = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      res.destroy();
      resolve(reason);
    };
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => finish(`no data on the alert stream for ${o.idleMs} ms`), o.idleMs);
    };
    const reader = new MultipartReader(boundary, o.maxPartBytes, {
      want: (h) => /json/i.test(h.contentType),
      part: (_h, body) => {
        let value: unknown;
        try {
          value = JSON.parse(body.toString('utf8'));
        } catch {
          on.malformed(`alert stream part is not valid JSON (${body.length} bytes); skipped`);
          return;
        }
        on.json(value);
      },
      error: (message) => on.malformed(message),
    });
    arm();
    res.on('data', (chunk: Buffer) => {
      if (settled) return;
      arm();
      reader.push(chunk);
      if (reader.done) finish('the terminal closed the alert stream');
    });
    res.once('end', () => finish('the terminal ended the alert stream'));
    res.once('aborted', () => finish('alert stream cut off'));
    res.once('error', (err) => finish(`alert stream cut off (${(err as NodeJS.ErrnoException).code ?? err.message})`));
    res.once('close', () => finish('alert stream closed'));
  });
}
