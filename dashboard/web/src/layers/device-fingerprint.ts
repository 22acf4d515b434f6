import type { GatewayView } from '@linli/contract';

/**
 * What the devices layer draws of the gateways, as one string: each symbol's
 * gateway, place, colour and size (its backlog). The hub pushes every
 * gateway's view every 2 s, a new array each time and with fields that move
 * without changing the picture (watermark, statusAt); the layer is built
 * again only when this string changes.
 */
export const deviceFingerprint = (views: readonly GatewayView[]): string =>
  views.map((v) => `${v.id}@${v.areaCode ?? ''}:${v.connected ? 1 : 0}:${v.status?.buffer.depth ?? 0}`).join(',');
