/**
 * The SDP of a GB/T 28181 INVITE (Appendix G): where the platform wants the
 * stream (c=, m=), over what (RTP/AVP over UDP, or TCP/RTP/AVP with
 * a=setup), which SSRC (the y= line) and the answer the device returns.
 */

export interface MediaOffer {
  address: string;
  port: number;
  transport: 'UDP' | 'TCP';
  /** TCP: the platform's role; `passive` means it listens and the device connects. */
  setup: 'active' | 'passive' | null;
  ssrc: number;
  /** The dynamic payload type the platform gave PS (usually 96). */
  psPayloadType: number;
  /** s=: Play (live), Playback, Download. */
  session: string;
}

export function parseOffer(sdp: string): MediaOffer | { error: string } {
  const lines = sdp.split(/\r?\n/).map((l) => l.trim());
  const value = (prefix: string) => lines.find((l) => l.startsWith(prefix))?.slice(prefix.length);
  const c = /^IN IP4 (\S+)/.exec(value('c=') ?? '');
  const m = /^video (\d{1,5}) (RTP\/AVP|TCP\/RTP\/AVP|RTP\/AVP\/TCP)((?: \d+)+)/.exec(value('m=') ?? '');
  if (!c) return { error: 'SDP has no c=IN IP4 address' };
  if (!m) return { error: 'SDP has no m=video line' };
  const ps = lines.map((l) => /^a=rtpmap:(\d+) PS\/90000/i.exec(l)).find((x) => x !== null);
  const y = /^(\d{1,10})$/.exec(value('y=') ?? '');
  const setup = /^(active|passive)$/.exec(value('a=setup:') ?? '');
  return {
    address: c[1]!,
    port: Number(m[1]),
    transport: m[2] === 'RTP/AVP' ? 'UDP' : 'TCP',
    setup: setup ? (setup[1] as 'active' | 'passive') : null,
    ssrc: y ? Number(y[1]) % 2 ** 32 : 0,
    psPayloadType: ps ? Number(ps[1]) : 96,
    session: value('s=') ?? 'Play',
  };
}

/** The answer SDP: we send PS from `address:port` with the platform's SSRC. */
export function answerSdp(o: { id: string; address: string; port: number; offer: MediaOffer }): string {
  const proto = o.offer.transport === 'TCP' ? 'TCP/RTP/AVP' : 'RTP/AVP';
  const lines = [
    'v=0',
    `o=${o.id} 0 0 IN IP4 ${o.address}`,
    `s=${o.offer.session}`,
    `c=IN IP4 ${o.address}`,
    't=0 0',
    `m=video ${o.port} ${proto} ${o.offer.psPayloadType}`,
    'a=sendonly',
    `a=rtpmap:${o.offer.psPayloadType} PS/90000`,
    ...(o.offer.transport === 'TCP'
      ? [`a=setup:${o.offer.setup === 'passive' ? 'active' : 'passive'}`, 'a=connection:new']
      : []),
    `y=${String(o.offer.ssrc).padStart(10, '0')}`,
  ];
  return lines.join('\r\n') + '\r\n';
}

/** An INVITE offer the platform simulator sends. */
export function offerSdp(o: {
  id: string;
  address: string;
  port: number;
  transport: 'UDP' | 'TCP';
  ssrc: number;
}): string {
  const proto = o.transport === 'TCP' ? 'TCP/RTP/AVP' : 'RTP/AVP';
  return (
    [
      'v=0',
      `o=${o.id} 0 0 IN IP4 ${o.address}`,
      's=Play',
      `c=IN IP4 ${o.address}`,
      't=0 0',
      `m=video ${o.port} ${proto} 96 98 97`,
      'a=recvonly',
      'a=rtpmap:96 PS/90000',
      'a=rtpmap:98 H264/90000',
      'a=rtpmap:97 MPEG4/90000',
      ...(o.transport === 'TCP' ? ['a=setup:passive', 'a=connection:new'] : []),
      `y=${String(o.ssrc).padStart(10, '0')}`,
    ].join('\r\n') + '\r\n'
  );
}
