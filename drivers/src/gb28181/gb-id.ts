/**
 * GB/T 28181 codes (Appendix D): 20 digits = centre code (8: province 2, city
 * 2, district 2, grass-roots unit 2) + industry (2) + type (3) + network (1)
 * + serial (6). The type says what the code names: 111–130 front-end hosts
 * (118 NVR), 131–199 front-end peripherals (131 camera, 132 IP camera, 134
 * alarm input), 200 central SIP server, 215 business group, 216 virtual
 * organisation.
 */

export const GB_ID_PATTERN = '^[0-9]{20}$';

export interface GbIdParts {
  civilCode: string;
  industry: string;
  type: number;
  network: number;
  serial: string;
}

export function parseGbId(id: string): GbIdParts | null {
  if (!/^\d{20}$/.test(id)) return null;
  return {
    civilCode: id.slice(0, 8),
    industry: id.slice(8, 10),
    type: Number(id.slice(10, 13)),
    network: Number(id.slice(13, 14)),
    serial: id.slice(14),
  };
}

export const GB_TYPE = { nvr: 118, camera: 131, ipCamera: 132, alarmInput: 134, sipServer: 200 } as const;

/** Why `id` cannot be a code of the wanted kind, or null when it can. */
export function gbIdProblem(id: string, kind: 'device' | 'channel' | 'server'): string | null {
  const p = parseGbId(id);
  if (!p) return `"${id}" is not a 20-digit GB/T 28181 code`;
  if (kind === 'server' && p.type !== GB_TYPE.sipServer)
    return `"${id}" has type ${p.type} (digits 11–13); an upper platform's SIP server id has type 200`;
  if (kind === 'channel' && !(p.type >= 131 && p.type <= 199))
    return `"${id}" has type ${p.type} (digits 11–13); a camera channel is 131 or 132`;
  if (kind === 'device' && !((p.type >= 111 && p.type <= 130) || p.type === 200))
    return `"${id}" has type ${p.type} (digits 11–13); a lower platform registers as 200 (or a device as 111–130, e.g. 118 NVR)`;
  return null;
}

/** The 10-digit SIP domain most platforms use: the first 10 digits of the server id. */
export function domainOf(serverId: string): string {
  return serverId.slice(0, 10);
}
