import { responseTo } from '../sip-endpoint.js';
import { header, type SipRequest, type SipResponse } from '../sip-message.js';
import type { SipPeer } from '../sip-transport.js';

/**
 * The calls a platform placed (live views it INVITEd) that the other side may
 * end with its own BYE: a camera whose stream stops, or a lower platform
 * ending a relay. A BYE for a watched call is answered 200 and told to the
 * call's owner; one for a call we do not know gets 481 (RFC 3261 §15.1.2).
 */
export class ByeWatch {
  private readonly calls = new Map<string, () => void>();

  /** Watches `callId` until the returned function is called (our own BYE) or the other side's BYE arrives. */
  watch(callId: string, onBye: () => void): () => void {
    this.calls.set(callId, onBye);
    return () => void this.calls.delete(callId);
  }

  /** For a request handler: the answer to a BYE, or undefined for any other method. */
  handle(req: SipRequest, from: SipPeer): SipResponse | undefined {
    if (req.method !== 'BYE') return undefined;
    const callId = header(req, 'Call-ID') ?? '';
    const onBye = this.calls.get(callId);
    if (!onBye) return responseTo(req, 481, 'Call/Transaction Does Not Exist', { from });
    this.calls.delete(callId);
    onBye();
    return responseTo(req, 200, 'OK', { from });
  }
}
