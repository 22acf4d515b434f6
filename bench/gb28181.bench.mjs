// GB/T 28181 at the gateway, two figures:
// 1. SIP messages per second through our parser (decodeSip, from the bytes a socket gives) against the npm
//    `sip` package's parser (kirm/sip.js, from the same bytes as its transport turns them into a string),
//    on the same mix of messages in the same run (higher ratio is better).
// 2. Time from a committed gate alarm to the Alarm MESSAGE at a platform on loopback (outbox → GbLink → UDP
//    → GbPlatformSimulator), against the outbox's own commit time for the same alarm in the same run.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sip from 'sip';
import { gb28181, GbPlatformSimulator } from '../drivers/dist/index.js';
import { createLogger, GbLink, Outbox } from '../gateway/dist/index.js';
import { LOCATION, median, report } from './lib.mjs';

const N = Number(process.env.LINLI_BENCH_SIP_N ?? 200_000);
const ALARMS = Number(process.env.LINLI_BENCH_GB_ALARMS ?? 200);

const party = {
  ...{ id: '34130200002000000001', domain: '3413020000', peerId: '34130000002000000001', peerDomain: '3413000000' },
  ...{ transport: 'UDP', contactHost: '192.168.1.64', contactPort: 5060, fromTag: '2043466181' },
};
const catalog = gb28181.catalogResponsePages(
  party.id,
  17,
  Array.from({ length: 4 }, (_, i) => ({
    deviceId: `3413020000132000000${i}`,
    name: `摄像机${i}`,
    civilCode: '341302',
    status: 'ON',
  })),
  4,
  'GB2312',
)[0];
const mix = [
  gb28181.registerRequest(party, { cseq: 1, callId: '1011047669@192.168.1.64', expiresS: 3600 }),
  gb28181.messageRequest(party, {
    cseq: 2,
    callId: 'k@192.168.1.64',
    xml: gb28181.keepaliveXml(party.id, 3, 'GB2312'),
    charset: 'GB2312',
  }),
  gb28181.messageRequest(party, { cseq: 3, callId: 'c@192.168.1.64', xml: catalog, charset: 'GB2312' }),
].map((m) => gb28181.encodeSip(m));
const reply = Buffer.from(
  'SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 192.168.1.64:5060;rport=5060;branch=z9hG4bK1371463273;received=192.168.1.64\r\n' +
    'From: <sip:34130200002000000001@3413020000>;tag=2043466181\r\nTo: <sip:34130200002000000001@3413020000>;tag=1857629391\r\n' +
    'Call-ID: 1011047669@192.168.1.64\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm="3413000000",nonce="44010b73623249f6916a6acf7c316b8e"\r\nContent-Length: 0\r\n\r\n',
);
mix.push(reply);

function rate(parse) {
  for (let i = 0; i < 20_000; i++) parse(mix[i % mix.length]); // warm-up
  global.gc?.();
  const t0 = process.hrtime.bigint();
  let ok = 0;
  for (let i = 0; i < N; i++) if (parse(mix[i % mix.length])) ok++;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (ok !== N) throw new Error(`parsed ${ok} of ${N}`);
  return N / s;
}
const ours = rate((b) => gb28181.decodeSip(b, { framing: 'datagram' }).ok);
const theirs = rate((b) => sip.parse(b.toString('binary')) !== undefined);
console.error(`  decodeSip ${Math.round(ours)} msg/s, sip.parse ${Math.round(theirs)} msg/s`);
report(
  'gb28181.sip_parse.messages_per_second',
  ours,
  'messages/s',
  theirs,
  'npm sip (kirm/sip.js) parse of the same REGISTER/401/Keepalive/Catalog mix, same run',
);

// Alarm path: the gateway's outbox commits a gate.forced, GbLink sends the Alarm MESSAGE, the platform reads it.
const dir = mkdtempSync(join(tmpdir(), 'linli-bench-gb-'));
writeFileSync(join(dir, 'gb.pw'), 'Bench-pw-1\n');
chmodSync(join(dir, 'gb.pw'), 0o600);
const platform = new GbPlatformSimulator({
  id: party.peerId,
  domain: party.peerDomain,
  password: 'Bench-pw-1',
  keepaliveTimeoutMs: 600_000,
});
await platform.start();
const outbox = new Outbox({ file: join(dir, 'buffer.sqlite'), gatewayId: 'gw-bench' });
const camera = {
  id: 'cam-east',
  type: 'onvif-camera',
  gbId: '34130200001320000001',
  covers: ['gate-east'],
  location: LOCATION,
};
const gb = {
  id: party.id,
  passwordFile: join(dir, 'gb.pw'),
  upper: { id: party.peerId, domain: party.peerDomain, host: '127.0.0.1', port: platform.port, transport: 'udp' },
  ...{
    expiresS: 3600,
    keepaliveS: 60,
    keepaliveMisses: 3,
    charset: 'GB2312',
    catalogPageSize: 20,
    bindHost: '127.0.0.1',
    t1Ms: 500,
  },
};
const link = new GbLink(gb, {
  configFile: join(dir, 'gateway.yaml'),
  gatewayName: 'bench',
  devices: [camera],
  online: () => true,
  onCommitted: (fn) => outbox.onAppend(fn, 'gb28181'),
  log: createLogger('gateway', 'silent'),
});
link.start();
while (link.report().state !== 'registered') await new Promise((r) => setTimeout(r, 10));
const commit = [];
const delivered = [];
for (let i = 0; i < ALARMS; i++) {
  const arrived = new Promise((r) => platform.once('alarm', r));
  const t0 = process.hrtime.bigint();
  await outbox.enqueue(
    { kind: 'gate.forced', deviceId: 'gate-east', deviceTime: Date.now(), payload: { door: '东门' } },
    LOCATION,
  );
  commit.push(Number(process.hrtime.bigint() - t0) / 1e6);
  await arrived;
  delivered.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
console.error(
  `  gate alarm → Alarm MESSAGE at the platform: median ${median(delivered).toFixed(2)} ms; commit ${median(commit).toFixed(2)} ms`,
);
report(
  'gb28181.gate_alarm_to_platform.median_ms',
  median(delivered),
  'ms',
  median(commit),
  'median outbox commit of the same gate.forced (synchronous=full), same run; the MESSAGE cannot leave before it',
);
await link.stop();
outbox.close();
await platform.stop();
rmSync(dir, { recursive: true, force: true });
