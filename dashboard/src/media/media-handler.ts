import { type MediaReply, validators, type WireError, wire } from '@linli/contract';
import type { Logger } from '../log.js';
import type { HubStore } from '../store/hub-store.js';
import type { MediaStore } from './media-store.js';

/**
 * Handles one `media` message from an authenticated gateway: the fields are
 * validated, the bytes must be a WebP within the size limit, and the event must
 * be that gateway's own and already stored here. Answers; never throws.
 */
export async function handleMedia(
  msg: unknown,
  gatewayId: string,
  store: HubStore,
  media: MediaStore,
  log: Logger,
  /** Why this gateway may not send pictures of that camera (not declared), or null. */
  refuseCamera?: (cameraId: string) => Promise<WireError | null>,
): Promise<MediaReply> {
  const checked = validators.media.check(msg);
  if (!checked.ok) {
    log.warn({ issues: checked.issues.slice(0, 5) }, 'picture rejected: invalid');
    return wire.failure('INVALID_MEDIA', 'media message failed validation', checked.issues.slice(0, 20));
  }
  const m = checked.value;
  const bad = wire.checkMediaBytes(m.bytes);
  if (bad) {
    log.warn({ event: m.eventId, problem: bad }, 'picture rejected');
    return wire.failure('INVALID_MEDIA', bad);
  }
  const refused = await refuseCamera?.(m.cameraId);
  if (refused) return { ok: false, error: refused };
  const ref = await store.eventRefAt(gatewayId, m.eventSeq);
  if (ref === null) return wire.failure('UNKNOWN_EVENT', `event seq ${m.eventSeq} of this gateway is not stored yet`);
  if (ref.id !== m.eventId)
    return wire.failure('INVALID_MEDIA', `event seq ${m.eventSeq} of this gateway is not ${m.eventId}`);
  try {
    await media.put({
      eventId: m.eventId,
      gatewayId,
      gridId: ref.gridId,
      cameraId: m.cameraId,
      takenAt: m.takenAt,
      contentType: m.contentType,
      bytes: Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength),
    });
  } catch (err) {
    log.error({ err: String(err) }, 'picture not stored');
    return wire.failure('STORAGE', 'the hub could not store the picture; retry later');
  }
  return { ok: true };
}
