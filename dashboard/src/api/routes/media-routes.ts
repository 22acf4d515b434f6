import { inScope } from '@linli/contract';
import { notFound } from '../api-error.js';
import { raw, type Route } from '../route.js';
import type { ApiDeps } from './deps.js';

/** Event pictures (masked at the gateway before they left it), for people who may see the event. */
export function mediaRoutes(d: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/events/:eventId/snapshot',
      tag: 'events',
      access: 'view',
      summary: 'The WebP snapshot taken for an event (camera alarm, or an alarm of a device a camera covers)',
      handler: async ({ principal, params }) => {
        const pic = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(params.eventId!) ? await d.media.get(params.eventId!) : null;
        if (!pic || !inScope(principal.user.areaCode, pic.gridId)) throw notFound(`事件 ${params.eventId} 的抓拍`);
        return raw({
          headers: {
            'content-type': pic.contentType,
            'content-length': String(pic.bytes.length),
            'cache-control': 'private, max-age=86400, immutable',
            'x-camera-id': pic.cameraId,
            'x-taken-at': String(pic.takenAt),
          },
          raw: pic.bytes,
        });
      },
    },
  ];
}
