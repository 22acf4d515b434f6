import { FieldFault } from '@linli/contract';
import type { OnvifClient } from './onvif-client.js';

/**
 * The ONVIF event service's PullPoint calls (ONVIF Core, Event service):
 * CreatePullPointSubscription, PullMessages (long-poll with Timeout and
 * MessageLimit), Renew and Unsubscribe. Times the camera grants are read
 * with its own CurrentTime, so a camera clock hours off changes nothing.
 */

const TEV = 'http://www.onvif.org/ver10/events/wsdl';
const WSNT = 'http://docs.oasis-open.org/wsn/b-2';
const ACTION = {
  create: `${TEV}/EventPortType/CreatePullPointSubscriptionRequest`,
  pull: `${TEV}/PullPointSubscription/PullMessagesRequest`,
  renew: 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest',
  unsubscribe: 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest',
};

/** A subscription as the camera granted it. */
export interface Grant {
  /** How long the camera granted, by its own clock (TerminationTime − CurrentTime); null when it did not say. */
  grantedMs: number | null;
  /** Our clock when the request was sent: the grant runs from no later than this. */
  sentAt: number;
}

export interface PullPoint extends Grant {
  address: string;
  subscriptionId?: string;
}

export interface Pulled {
  messages: unknown[];
}

/** Whole seconds as an xs:duration. */
export const seconds = (ms: number) => `PT${Math.max(1, Math.floor(ms / 1000))}S`;

export async function createPullPoint(client: OnvifClient, askMs: number, timeoutMs: number): Promise<PullPoint> {
  const sentAt = Date.now();
  const body = await client.soap<unknown>({
    action: ACTION.create,
    body: `<CreatePullPointSubscription xmlns="${TEV}"><InitialTerminationTime>${seconds(askMs)}</InitialTerminationTime></CreatePullPointSubscription>`,
    replyTimeoutMs: timeoutMs,
  });
  const r = field(flatten(body), 'CreatePullPointSubscriptionResponse');
  const ref = field(r, 'SubscriptionReference');
  const address = text(field(ref, 'Address'));
  if (!address || !/^https?:\/\//.test(address))
    throw new FieldFault('DEVICE_REPLY', 'CreatePullPointSubscription answered without a subscription address');
  const id = text(field(field(ref, 'ReferenceParameters'), 'SubscriptionId'));
  return { address, ...(id ? { subscriptionId: id } : {}), ...grantOf(r, sentAt) };
}

export async function pullMessages(
  client: OnvifClient,
  pp: PullPoint,
  o: { waitMs: number; limit: number; timeoutMs: number },
): Promise<Pulled> {
  const body = await client.soap<unknown>({
    action: ACTION.pull,
    to: pp.address,
    ...(pp.subscriptionId ? { subscriptionId: pp.subscriptionId } : {}),
    body: `<PullMessages xmlns="${TEV}"><Timeout>${seconds(o.waitMs)}</Timeout><MessageLimit>${o.limit}</MessageLimit></PullMessages>`,
    // The camera may hold the answer for the whole Timeout; the request timeout comes on top.
    replyTimeoutMs: o.waitMs + o.timeoutMs,
  });
  const raw = field(flatten(body), 'PullMessagesResponse');
  const list = (raw as Record<string, unknown> | undefined)?.notificationMessage;
  return { messages: Array.isArray(list) ? list : list ? [list] : [] };
}

export async function renew(client: OnvifClient, pp: PullPoint, askMs: number, timeoutMs: number): Promise<Grant> {
  const sentAt = Date.now();
  const body = await client.soap<unknown>({
    action: ACTION.renew,
    to: pp.address,
    ...(pp.subscriptionId ? { subscriptionId: pp.subscriptionId } : {}),
    body: `<Renew xmlns="${WSNT}"><TerminationTime>${seconds(askMs)}</TerminationTime></Renew>`,
    replyTimeoutMs: timeoutMs,
  });
  return grantOf(field(flatten(body), 'RenewResponse'), sentAt);
}

export async function unsubscribe(client: OnvifClient, pp: PullPoint, timeoutMs: number): Promise<void> {
  await client.soap<unknown>({
    action: ACTION.unsubscribe,
    to: pp.address,
    ...(pp.subscriptionId ? { subscriptionId: pp.subscriptionId } : {}),
    body: `<Unsubscribe xmlns="${WSNT}"/>`,
    replyTimeoutMs: timeoutMs,
  });
}

/** The granted span from a response's CurrentTime and TerminationTime (both the camera's clock). */
export function grantOf(r: unknown, sentAt: number): Grant {
  const until = time(field(r, 'TerminationTime'));
  const now = time(field(r, 'CurrentTime'));
  // Without CurrentTime the only reference is our own clock; with it, skew cancels out.
  const granted = until === null ? null : until - (now ?? Date.now());
  return { grantedMs: granted, sentAt };
}

function time(v: unknown): number | null {
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.getTime() : null;
  const s = text(v);
  const t = s ? Date.parse(s) : NaN;
  return Number.isFinite(t) ? t : null;
}

function text(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (v && typeof v === 'object' && typeof (v as { _?: unknown })._ === 'string') return (v as { _: string })._.trim();
  return '';
}

/** A child by local name, whatever case the library gave its first letter. */
function field(o: unknown, name: string): unknown {
  if (!o || typeof o !== 'object') return undefined;
  const r = o as Record<string, unknown>;
  return r[name] ?? r[name.charAt(0).toLowerCase() + name.slice(1)];
}

/** The library's parsed SOAP (xml2js: every child an array) with one-element arrays unwrapped. */
export function flatten(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 1 ? flatten(v[0]) : v.map(flatten);
  if (v && typeof v === 'object' && !(v instanceof Date))
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, flatten(x)]));
  return v;
}
