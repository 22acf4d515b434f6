import { FieldFault } from '@linli/contract';
import type { IsapiClient } from './isapi-client.js';

/** The ISAPI remote door control body; `open` opens once (the door relocks itself). */
export const OPEN_BODY =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<RemoteControlDoor version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema"><cmd>open</cmd></RemoteControlDoor>';

/** `<tag>value</tag>` from a small ISAPI XML reply (ResponseStatus has no nesting worth a parser). */
function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]{0,200})</${name}>`).exec(xml)?.[1];
}

/**
 * `PUT /ISAPI/AccessControl/RemoteControl/door/<n>`. Resolves when the
 * terminal answers ResponseStatus statusCode 1 (OK); rejects with what the
 * terminal said otherwise.
 */
export async function openDoor(client: IsapiClient, door: number): Promise<void> {
  const res = await client.request(
    'PUT',
    `/ISAPI/AccessControl/RemoteControl/door/${door}`,
    OPEN_BODY,
    'application/xml',
  );
  const text = res.body.toString('utf8');
  const code = tag(text, 'statusCode');
  if (res.status === 200 && (code === undefined || code === '1')) return;
  const said = [tag(text, 'statusString'), tag(text, 'subStatusCode')].filter(Boolean).join(', ');
  throw new FieldFault(
    'REFUSED',
    `gate terminal ${client.address} refused to open door ${door} (HTTP ${res.status}${said ? `: ${said}` : ''})`,
  );
}
