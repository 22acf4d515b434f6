/**
 * The few parts of the npm `sip` package (kirm/sip.js, an independent SIP
 * stack in JavaScript) the GB/T 28181 cross-check uses. It ships no types.
 */
declare module 'sip' {
  export interface SipJsMessage {
    method?: string;
    uri?: string;
    version?: string;
    status?: number;
    reason?: string;
    // Its headers are shaped per header name (objects, arrays, strings): the tests read them as they are.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    headers: Record<string, any>;
    content?: string;
  }
  export function parse(s: string): SipJsMessage | undefined;
  export function stringify(m: SipJsMessage): string;
  export function makeResponse(
    rq: SipJsMessage,
    status: number,
    reason: string,
    ext?: Partial<SipJsMessage>,
  ): SipJsMessage;
  export function parseUri(s: string): { user?: string; host: string; port?: number; params: Record<string, string> };
  export interface SipJsStack {
    send(m: SipJsMessage, cb?: (rs: SipJsMessage) => void): void;
    destroy(): void;
  }
  export function create(
    options: {
      port: number;
      address?: string;
      hostname?: string;
      publicAddress?: string;
      udp?: boolean;
      tcp?: boolean;
      logger?: object;
    },
    onRequest: (rq: SipJsMessage, remote: { protocol: string; address: string; port: number }) => void,
  ): SipJsStack;
}
declare module 'sip/digest.js' {
  import type { SipJsMessage } from 'sip';
  export function challenge(ctx: Record<string, unknown>, rs: SipJsMessage): SipJsMessage;
  export function authenticateRequest(
    ctx: Record<string, unknown>,
    rq: SipJsMessage,
    creds: { user: string; password: string },
  ): boolean;
  export function signRequest(
    ctx: Record<string, unknown> | null,
    rq: SipJsMessage,
    rs: SipJsMessage,
    creds: { user: string; password: string },
  ): Record<string, unknown> | null;
}
