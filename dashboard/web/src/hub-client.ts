import type { Alert, CityChanged, CockpitToHub, GatewayView, HubToCockpit, LinliEvent } from '@linli/contract';
import { checkAlert, checkCityChanged, checkEvent, checkGatewayViews, refusalCode } from '@linli/contract/browser';
import { io, type Socket } from 'socket.io-client';

export type LinkState = 'connecting' | 'online' | 'offline' | 'unauthorized';

/** Events that fail the contract are dropped with a console warning, never drawn half-understood. */
function valid(events: unknown): LinliEvent[] {
  if (!Array.isArray(events)) return [];
  return events.filter((e): e is LinliEvent => {
    const r = checkEvent(e);
    if (!r.ok) console.warn('dropped an invalid event from the hub', r.issues);
    return r.ok;
  });
}

/** Live events from the hub; on every (re)connect it first fetches what it may have missed. */
export function connectHub(
  key: string,
  /** `past`: the recent events a (re)connect fetched, rather than ones pushed as they came in. */
  onEvents: (events: LinliEvent[], past: boolean) => void,
  onState: (s: LinkState) => void,
  onGateways: (views: GatewayView[]) => void,
  more: {
    /** One changed alert from the hub (see docs/alerts.md), checked against the contract like events. */
    onAlert?: (alert: Alert) => void;
    /** After every (re)connect: fetch what the socket could not deliver while down. */
    onConnected?: (reconnect: boolean) => void;
    /** Another city version became active: this page's areas are the old one's. */
    onCityChanged?: (msg: CityChanged) => void;
    /** The recent-events answer after a (re)connect was taken (or given up on). */
    onRecent?: () => void;
  } = {},
): Socket {
  let connectedBefore = false;
  const socket: Socket<HubToCockpit, CockpitToHub> = io('/cockpit', {
    auth: { key },
    transports: ['websocket'],
  });
  socket.on('connect', async () => {
    onState('online');
    more.onConnected?.(connectedBefore);
    connectedBefore = true;
    const reply = await socket
      .timeout(10_000)
      .emitWithAck('recent', { limit: 200 })
      // No catch-up answer (timeout, disconnect): live events still arrive, and the next connect asks again.
      .catch(() => null);
    if (reply?.ok) onEvents(valid(reply.events), true);
    more.onRecent?.();
  });
  socket.on('disconnect', () => onState('offline'));
  socket.on('connect_error', (err) => onState(refusalCode(err) === 'UNAUTHORIZED' ? 'unauthorized' : 'offline'));
  socket.on('events', (events) => onEvents(valid(events), false));
  socket.on('alert', (a) => {
    const r = checkAlert(a);
    if (r.ok) more.onAlert?.(r.value);
    else console.warn('dropped an invalid alert from the hub', r.issues);
  });
  socket.on('city:changed', (msg) => {
    const r = checkCityChanged(msg);
    if (r.ok) more.onCityChanged?.(r.value);
    else console.warn('dropped an invalid city:changed from the hub', r.issues);
  });
  socket.on('gateways', (views) => {
    const r = checkGatewayViews(views);
    if (r.ok) onGateways(r.value);
    else console.warn('dropped an invalid gateway list from the hub', r.issues);
  });
  return socket as unknown as Socket;
}
