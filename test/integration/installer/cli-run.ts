import { GATEWAY_CLI, node } from '../../helpers/processes.js';

/** Runs `linli-gateway …` as a real process to the end. */
export async function gw(
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string; err: string }> {
  const p = node(GATEWAY_CLI, args, env ? { env } : undefined);
  const code = await p.exited;
  return { code, out: p.out(), err: p.err() };
}

export const COMMUNITY = '341302001001';
export const GRID = '341302001001001';

/** A minimal valid config with the given devices YAML (already indented as list items). */
export function configText(o: { hub?: string; devices?: string; extra?: string } = {}): string {
  return `version: 1
gateway:
  id: gw-test-01
  community: "${COMMUNITY}"
  location: { lng: 116.98, lat: 33.64, gridId: "${GRID}" }
dataDir: ./state
hub: { url: "${o.hub ?? 'http://127.0.0.1:9'}", tokenFile: ./state/gateway.token }
${o.extra ?? ''}devices:${o.devices ? `\n${o.devices}` : ' []'}
`;
}
