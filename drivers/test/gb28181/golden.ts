/**
 * Golden SIP messages in the shape GB/T 28181-2016 §9.1 and Appendix A show
 * (REGISTER flow, Keepalive, Catalog query), with the ids of the standard's
 * examples (3402000000 domain, 34020000002000000001 server). Line ends are CRLF.
 */
const crlf = (lines: string[]) => lines.join('\r\n');

export const REGISTER_NO_AUTH = crlf([
  'REGISTER sip:34020000002000000001@3402000000 SIP/2.0',
  'Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1371463273',
  'From: <sip:34020000001320000001@3402000000>;tag=2043466181',
  'To: <sip:34020000001320000001@3402000000>',
  'Call-ID: 1011047669',
  'CSeq: 1 REGISTER',
  'Contact: <sip:34020000001320000001@192.168.1.64:5060>',
  'Max-Forwards: 70',
  'User-Agent: IP Camera',
  'Expires: 3600',
  'Content-Length: 0',
  '',
  '',
]);

export const UNAUTHORIZED = crlf([
  'SIP/2.0 401 Unauthorized',
  'Via: SIP/2.0/UDP 192.168.1.64:5060;rport=5060;branch=z9hG4bK1371463273;received=192.168.1.64',
  'From: <sip:34020000001320000001@3402000000>;tag=2043466181',
  'To: <sip:34020000001320000001@3402000000>;tag=1857629391',
  'Call-ID: 1011047669',
  'CSeq: 1 REGISTER',
  'WWW-Authenticate: Digest realm="3402000000",nonce="44010b73623249f6916a6acf7c316b8e"',
  'User-Agent: LiveGBS v200228',
  'Content-Length: 0',
  '',
  '',
]);

const KEEPALIVE_XML = crlf([
  '<?xml version="1.0"?>',
  '<Notify>',
  '<CmdType>Keepalive</CmdType>',
  '<SN>43</SN>',
  '<DeviceID>64010000002000000001</DeviceID>',
  '<Status>OK</Status>',
  '</Notify>',
  '',
]);

export const KEEPALIVE = crlf([
  'MESSAGE sip:34020000002000000001@3402000000 SIP/2.0',
  'Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1762058497',
  'From: <sip:64010000002000000001@3402000000>;tag=1551297013',
  'To: <sip:34020000002000000001@3402000000>',
  'Call-ID: 1438962718',
  'CSeq: 20 MESSAGE',
  'Content-Type: Application/MANSCDP+xml',
  'Max-Forwards: 70',
  'User-Agent: IP Camera',
  `Content-Length: ${Buffer.byteLength(KEEPALIVE_XML)}`,
  '',
  KEEPALIVE_XML,
]);

/** A Catalog answer item as the standard's A.2.6.4 example lists it, in GB2312. */
export const CATALOG_RESPONSE_XML = crlf([
  '<?xml version="1.0" encoding="GB2312"?>',
  '<Response>',
  '<CmdType>Catalog</CmdType>',
  '<SN>17430</SN>',
  '<DeviceID>64010000001110000001</DeviceID>',
  '<SumNum>2</SumNum>',
  '<DeviceList Num="1">',
  '<Item>',
  '<DeviceID>64010000001310000001</DeviceID>',
  '<Name>小区南门</Name>',
  '<Manufacturer>Manufacturer</Manufacturer>',
  '<Model>Camera</Model>',
  '<Owner>Owner</Owner>',
  '<CivilCode>640100</CivilCode>',
  '<Address>Address</Address>',
  '<Parental>0</Parental>',
  '<ParentID>64010000001110000001</ParentID>',
  '<SafetyWay>0</SafetyWay>',
  '<RegisterWay>1</RegisterWay>',
  '<Secrecy>0</Secrecy>',
  '<Status>ON</Status>',
  '<Longitude>116.980000</Longitude>',
  '<Latitude>33.640000</Latitude>',
  '</Item>',
  '</DeviceList>',
  '</Response>',
  '',
]);
