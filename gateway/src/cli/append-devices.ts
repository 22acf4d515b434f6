import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { builtinRegistry, type Transport } from '@linli/drivers';
import { isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import { loadConfig } from '../config/load.js';

export interface NewDevice {
  idBase: string;
  type: string;
  transport: Transport;
  comment?: string;
}

const sameTransport = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Appends found devices to a config, keeping its comments and layout, and
 * skipping devices already there (same transport). The result must validate
 * before it replaces the file, so a discover run never leaves a broken config.
 * Returns the ids added.
 */
export function appendDevices(file: string, found: NewDevice[], gridId: string): string[] {
  const before = loadConfig(file, builtinRegistry());
  const { config } = before;
  const at = config.gateway.location ?? config.devices[0]?.location;
  if (!at) throw new Error(`${file}: set gateway.location (lng, lat) first so new devices get a position`);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  let seq = doc.get('devices', true);
  if (!isSeq(seq)) {
    seq = new YAMLSeq();
    doc.set('devices', seq);
  }
  // `devices: []` is a flow list; block style reads better once it has entries.
  (seq as YAMLSeq).flow = false;
  const ids = new Set(config.devices.map((d) => d.id));
  const added: string[] = [];
  for (const f of found) {
    if (config.devices.some((d) => sameTransport(d.transport, { ...d.transport, ...f.transport }) && d.type === f.type))
      continue;
    let id = f.idBase
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '-')
      .slice(0, 60);
    for (let n = 2; ids.has(id); n++) id = `${f.idBase.slice(0, 56)}-${n}`;
    ids.add(id);
    // Secrets live in the data dir: the service's own user can read it (see deploy/systemd), nobody else.
    const transport =
      f.transport.kind === 'isapi' && f.transport.passwordFile?.startsWith('secrets/')
        ? { ...f.transport, passwordFile: `${config.dataDir.replace(/\/$/, '')}/${f.transport.passwordFile}` }
        : f.transport;
    const node = doc.createNode({
      id,
      type: f.type,
      transport,
      location: { lng: at.lng, lat: at.lat, gridId },
    });
    if (isMap(node)) node.commentBefore = ` found by linli-gateway discover${f.comment ? `;${f.comment}` : ''}`;
    (seq as YAMLSeq).add(node);
    added.push(id);
  }
  if (!added.length) return [];
  const tmp = `${file}.discover.tmp`;
  writeFileSync(tmp, doc.toString());
  try {
    loadConfig(tmp, builtinRegistry()); // throws ConfigError with lines if something is off; the file stays as it was
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, file);
  return added;
}
