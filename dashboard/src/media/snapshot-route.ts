import type { ServerResponse } from 'node:http';
import type { MediaStore } from './media-store.js';

const ROUTE = /^\/api\/events\/([0-9A-HJKMNP-TV-Z]{26})\/snapshot$/;

/**
 * GET /api/events/:eventId/snapshot → the event's (masked) WebP thumbnail.
 * Called after the API auth check; returns false when the URL is not this route.
 */
export function serveSnapshot(url: string, res: ServerResponse, media: MediaStore | undefined): boolean {
  const m = ROUTE.exec(url.split('?')[0]!);
  if (!m) return false;
  const pic = media?.get(m[1]!);
  if (!pic) {
    res
      .writeHead(404, { 'content-type': 'application/json; charset=utf-8' })
      .end(JSON.stringify({ ok: false, error: { code: 'NOT_FOUND', message: 'no picture for this event' } }));
    return true;
  }
  res
    .writeHead(200, {
      'content-type': pic.contentType,
      'content-length': pic.bytes.length,
      'cache-control': 'private, max-age=86400, immutable',
      'x-camera-id': pic.cameraId,
      'x-taken-at': String(pic.takenAt),
    })
    .end(pic.bytes);
  return true;
}
