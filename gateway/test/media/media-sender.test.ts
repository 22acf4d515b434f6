import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaMessage, MediaReply } from '@linli/contract';
import { expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { MediaOutbox } from '../../src/media/media-outbox.js';
import { MediaSender } from '../../src/media/media-sender.js';

/**
 * The hub's side of the picture link, scripted: it is outside the gateway.
 * A picture refused for authority (its camera not declared) is dropped at
 * once; one whose event the hub does not have yet stays for a retry.
 */
it('drops a picture the hub refuses for authority at once, and keeps one it merely cannot place yet', async () => {
  const q = new MediaOutbox(join(mkdtempSync(join(tmpdir(), 'linli-media-')), 'media.sqlite'), 10);
  const sent: string[] = [];
  const link = {
    state: 'online',
    ackedSeq: () => 10,
    async sendMedia(m: MediaMessage): Promise<MediaReply> {
      sent.push(m.cameraId);
      return m.cameraId === 'cam-stranger'
        ? { ok: false, error: { code: 'DEVICE_UNDECLARED', message: 'camera not declared' } }
        : { ok: false, error: { code: 'UNKNOWN_EVENT', message: 'not stored yet' } };
    },
  };
  const add = (seq: number, cameraId: string) =>
    q.add({ eventId: `E${seq}`, eventSeq: seq, cameraId, takenAt: seq, webp: Buffer.from([seq]) });
  add(1, 'cam-stranger');
  add(2, 'cam-01');
  const sender = new MediaSender(q, link, createLogger('test', 'silent'));
  sender.kick();
  for (let i = 0; i < 200 && sent.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  await sender.stop();
  expect(sent).toEqual(['cam-stranger', 'cam-01']);
  expect(q.ready(10, 10).map((m) => [m.cameraId, m.attempts])).toEqual([['cam-01', 1]]);
  q.close();
});
