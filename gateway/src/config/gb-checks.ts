import { gb28181 } from '@linli/drivers';
import type { GatewayConfig } from './schema.js';

export interface GbProblem {
  path: (string | number)[];
  message: string;
}

/**
 * What the schema cannot say about the GB/T 28181 settings: which type digits
 * each code must have, that channel codes are unique and belong to cameras.
 */
export function gbProblems(config: GatewayConfig, isCamera: (type: string) => boolean): GbProblem[] {
  const out: GbProblem[] = [];
  const gb = config.gb28181;
  if (gb) {
    const self = gb28181.gbIdProblem(gb.id, 'device');
    if (self) out.push({ path: ['gb28181', 'id'], message: self });
    const upper = gb28181.gbIdProblem(gb.upper.id, 'server');
    if (upper) out.push({ path: ['gb28181', 'upper', 'id'], message: upper });
    if (gb.id === gb.upper.id)
      out.push({ path: ['gb28181', 'id'], message: 'the gateway and its upper platform cannot have the same code' });
  }
  const seen = new Map<string, string>();
  config.devices.forEach((d, n) => {
    if (d.gbName !== undefined && d.gbId === undefined)
      out.push({ path: ['devices', n, 'gbName'], message: 'gbName names a GB/T 28181 channel: give gbId too' });
    // A GB/T 28181 camera registered to the gateway shows upward under its own code unless gbId renames it.
    const down = d.transport.kind === 'gb28181' && d.gbId === undefined ? d.transport.deviceId : undefined;
    if (down && seen.has(down))
      out.push({
        path: ['devices', n, 'transport', 'deviceId'],
        message: `code ${down} is already the channel code of ${seen.get(down)}; give this camera a gbId of its own`,
      });
    if (down) seen.set(down, d.id);
    if (d.gbId === undefined) return;
    if (!isCamera(d.type))
      out.push({
        path: ['devices', n, 'gbId'],
        message: `${d.type} is not a camera; only cameras are GB/T 28181 channels`,
      });
    const problem = gb28181.gbIdProblem(d.gbId, 'channel');
    if (problem) out.push({ path: ['devices', n, 'gbId'], message: problem });
    const other = seen.get(d.gbId);
    if (other)
      out.push({ path: ['devices', n, 'gbId'], message: `channel code ${d.gbId} is already used by ${other}` });
    if (gb && (d.gbId === gb.id || d.gbId === gb.upper.id))
      out.push({
        path: ['devices', n, 'gbId'],
        message: `channel code ${d.gbId} is the gateway's or the platform's own code`,
      });
    seen.set(d.gbId, d.id);
  });
  return out;
}
