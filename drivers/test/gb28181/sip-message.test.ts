import { describe, expect, it } from 'vitest';
import { decodeSip, encodeSip, header, headerList, type SipMessage } from '../../src/gb28181/sip-message.js';
import { parseCSeq, parseNameAddr, parseSipUri, parseVia } from '../../src/gb28181/sip-headers.js';
import { KEEPALIVE, REGISTER_NO_AUTH, UNAUTHORIZED } from './golden.js';

function decodeOne(text: string | Buffer, framing: 'stream' | 'datagram' = 'datagram'): SipMessage {
  const r = decodeSip(Buffer.from(text), { framing });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('SIP message codec: golden messages', () => {
  it('reads a camera REGISTER and the 401 challenge', () => {
    const reg = decodeOne(REGISTER_NO_AUTH);
    expect(reg).toMatchObject({ kind: 'request', method: 'REGISTER', uri: 'sip:34020000002000000001@3402000000' });
    expect(header(reg, 'expires')).toBe('3600');
    expect(parseCSeq(header(reg, 'CSeq')!)).toEqual({ seq: 1, method: 'REGISTER' });
    const from = parseNameAddr(header(reg, 'From')!)!;
    expect(from.params.get('tag')).toBe('2043466181');
    expect(parseSipUri(from.uri)).toMatchObject({ user: '34020000001320000001', host: '3402000000', port: null });
    const r401 = decodeOne(UNAUTHORIZED);
    expect(r401).toMatchObject({ kind: 'response', status: 401, reason: 'Unauthorized' });
    const via = parseVia(headerList(r401, 'Via')[0]!)!;
    expect(via.params.get('received')).toBe('192.168.1.64');
    expect(via.params.get('rport')).toBe('5060');
  });

  it('reads a Keepalive MESSAGE with its body', () => {
    const m = decodeOne(KEEPALIVE);
    expect(m.kind === 'request' && m.method).toBe('MESSAGE');
    expect(m.body.toString()).toContain('<CmdType>Keepalive</CmdType>');
  });

  it('re-encodes to the same message (canonical form is a fixed point)', () => {
    for (const text of [REGISTER_NO_AUTH, UNAUTHORIZED, KEEPALIVE]) {
      const once = encodeSip(decodeOne(text));
      expect(encodeSip(decodeOne(once)).equals(once)).toBe(true);
      expect(once.toString('latin1')).toBe(text);
    }
  });
});

describe('SIP message codec: what devices actually send', () => {
  it('accepts compact names, any case, LF line ends and folded headers', () => {
    const text = [
      'message sip:34020000002000000001@3402000000 SIP/2.0',
      'v: SIP/2.0/TCP 10.1.1.2:5060;branch=z9hG4bKabc',
      'f: <sip:34020000001320000001@3402000000>;tag=1',
      't: <sip:34020000002000000001@3402000000>',
      'i: 77@10.1.1.2',
      'CSEQ: 3 MESSAGE',
      'subject: one,',
      '  two',
      'c: Application/MANSCDP+xml',
      'l: 4',
      '',
      'abcd',
    ].join('\n');
    const m = decodeOne(text, 'stream');
    expect(m.kind === 'request' && m.method).toBe('MESSAGE');
    expect(header(m, 'Call-ID')).toBe('77@10.1.1.2');
    expect(header(m, 'Subject')).toBe('one, two');
    expect(header(m, 'content-type')).toBe('Application/MANSCDP+xml');
    expect(m.body.toString()).toBe('abcd');
  });

  it('on UDP takes a padded or missing Content-Length as the datagram says', () => {
    const head =
      'MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bKx\r\nCall-ID: 1\r\nCSeq: 1 MESSAGE\r\n';
    expect(decodeOne(head + 'Content-Length:    00005  \r\n\r\nhello').body.toString()).toBe('hello');
    expect(decodeOne(head + '\r\nhello').body.toString()).toBe('hello');
    // A length larger than what arrived: keep what did arrive rather than drop the alarm it may carry.
    expect(decodeOne(head + 'Content-Length: 900\r\n\r\nhello').body.toString()).toBe('hello');
    // Trailing bytes beyond the length are not part of the body.
    expect(decodeOne(head + 'Content-Length: 2\r\n\r\nhello').body.toString()).toBe('he');
  });

  it('frames several messages on a TCP stream by Content-Length, waiting for the rest', () => {
    const one = encodeSip(decodeOne(KEEPALIVE));
    const stream = Buffer.concat([Buffer.from('\r\n\r\n'), one, one]);
    // Keep-alive CRLFs before a message are consumed with it; alone, they are skipped.
    const blanks = decodeSip(Buffer.from('\r\n\r\n'), { framing: 'stream' });
    expect(blanks.ok === false && blanks.error).toEqual({
      kind: 'invalid',
      reason: 'blank lines (keep-alive)',
      skip: 4,
    });
    const a = decodeSip(stream, { framing: 'stream' });
    expect(a.ok && a.consumed).toBe(4 + one.length);
    const b = decodeSip(stream.subarray(4 + one.length), { framing: 'stream' });
    expect(b.ok && b.consumed).toBe(one.length);
    const partial = decodeSip(one.subarray(0, one.length - 3), { framing: 'stream' });
    expect(partial.ok === false && partial.error).toEqual({ kind: 'incomplete', needAtLeast: one.length });
  });

  it('refuses what is not SIP with a reason', () => {
    const r = decodeSip(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), { framing: 'datagram' });
    expect(r.ok === false && r.error.kind).toBe('invalid');
    const bad = decodeSip(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: ten\r\n\r\n'), { framing: 'stream' });
    expect(bad.ok === false && bad.error.kind === 'invalid' && bad.error.reason).toMatch(/Content-Length/);
  });
});
