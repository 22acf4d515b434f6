import { gb28181 } from '@linli/drivers';
import type { Gb28181Config } from '../config/schema.js';
import { readGbPassword } from '../gb28181/gb-link.js';
import type { CheckResult } from './device-checks.js';

/**
 * `linli-gateway test` for the GB/T 28181 link: one registration to the
 * upper platform (then an unregister), and the outcome in words. Run it
 * while the gateway is stopped: the platform holds one registration per code,
 * and a running gateway would register again at its next keepalive.
 */
export async function checkGbLink(gb: Gb28181Config, configFile: string): Promise<CheckResult> {
  const target = `${gb.upper.id}@${gb.upper.host}:${gb.upper.port}/${gb.upper.transport}`;
  const base = { id: 'gb28181', type: 'GB/T 28181 上级平台', target };
  let password: string;
  try {
    password = readGbPassword(gb.passwordFile, configFile);
  } catch (err) {
    const msg = (err as { problems?: { message: string }[] }).problems?.[0]?.message ?? String(err);
    return { ...base, ok: false, detail: msg, fix: 'write the password into the file and chmod 600 it' };
  }
  const agent = new gb28181.LowerAgent({
    deviceId: gb.id,
    serverId: gb.upper.id,
    serverDomain: gb.upper.domain,
    serverHost: gb.upper.host,
    serverPort: gb.upper.port,
    transport: gb.upper.transport === 'tcp' ? 'TCP' : 'UDP',
    ...(gb.username ? { username: gb.username } : {}),
    password,
    expiresS: gb.expiresS,
    keepaliveS: gb.keepaliveS,
    keepaliveMisses: gb.keepaliveMisses,
    charset: gb.charset,
    ...(gb.edition === 2022 ? { gbVersion: '3.0' as const } : {}),
    bindHost: gb.bindHost,
    timers: { t1Ms: gb.t1Ms, t2Ms: Math.max(gb.t1Ms * 8, 4000) },
    answer: () => [],
  });
  const outcome = new Promise<gb28181.LinkStatus>((resolve) => {
    const poll = setInterval(() => {
      const s = agent.status();
      if (s.state === 'registered' || s.lastError) {
        clearInterval(poll);
        resolve(s);
      }
    }, 50);
  });
  agent.start();
  const s = await outcome;
  await agent.stop();
  if (s.state === 'registered')
    return {
      ...base,
      ok: true,
      detail: `已注册 registered${s.publicAddress ? `; the platform sees this gateway at ${s.publicAddress}` : ''}`,
      fix: '',
    };
  return {
    ...base,
    ok: false,
    detail: s.lastError ?? 'not registered',
    fix: 'check gb28181.id, upper.id/domain/host/port/transport and the password with the platform administrator',
  };
}
