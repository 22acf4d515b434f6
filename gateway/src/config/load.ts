import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, toIssues } from '@linli/contract';
import { TRANSPORTS_FOR } from '@linli/drivers';
import { Ajv } from 'ajv';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import { gbProblems } from './gb-checks.js';
import { lineProblems } from './line-checks.js';
import { type GatewayConfig, GatewayConfigSchema } from './schema.js';

type Problem = ConfigError['problems'][number];

// Defaults from the schema are applied while validating, so the rest of the gateway sees a complete config.
// `verbose` lets an unknown field's error name the nearest valid one.
const validate = new Ajv({
  allErrors: true,
  useDefaults: true,
  discriminator: true,
  strict: false,
  verbose: true,
}).compile(GatewayConfigSchema);

export interface LoadedConfig {
  file: string;
  config: GatewayConfig;
  /** Absolute paths resolved against the config file's folder. */
  dataDir: string;
  tokenFile: string;
  /** Set when the config has a `flows` section. */
  flowsPasswordFile?: string;
  flowsTrustedKeyFile?: string;
}

/** What the loader needs to know about device types, without importing any driver. */
export interface TypeCatalog {
  has(type: string): boolean;
  types(): string[];
  /** The protocol a type speaks, if known without loading it. */
  protocolOf?(type: string): keyof typeof TRANSPORTS_FOR | undefined;
}

/**
 * Reads and validates a gateway config. Every problem is reported at once with
 * file, line and field, so an installer fixes the file in one pass.
 */
export function loadConfig(file: string, catalog: TypeCatalog): LoadedConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(path, [
      { line: null, field: '', message: code === 'ENOENT' ? 'file not found' : `cannot read (${code})` },
    ]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ConfigError(
      path,
      doc.errors.map((e) => ({
        line: lines.linePos(e.pos[0]).line,
        field: '',
        message: `YAML syntax: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  const value: unknown = doc.toJS();
  const problems: Problem[] = [];
  if (!validate(value)) {
    for (const i of toIssues(validate.errors ?? []))
      problems.push({ line: lineOf(doc, lines, i.path ?? []), field: i.field, message: i.message });
  } else {
    const config = value as GatewayConfig;
    const seen = new Set<string>();
    config.devices.forEach((d, n) => {
      if (seen.has(d.id))
        problems.push({
          line: lineOf(doc, lines, ['devices', n, 'id']),
          field: `devices[${n}].id`,
          message: `duplicate device id "${d.id}"`,
        });
      seen.add(d.id);
      const protocol = catalog.protocolOf?.(d.type);
      if (protocol && !TRANSPORTS_FOR[protocol].includes(d.transport.kind))
        problems.push({
          line: lineOf(doc, lines, ['devices', n, 'transport', 'kind']),
          field: `devices[${n}].transport.kind`,
          message: `${d.type} speaks ${protocol}; use transport kind ${TRANSPORTS_FOR[protocol].join(' or ')}`,
        });
      if (d.wordOrder && protocol && protocol !== 'modbus')
        problems.push({
          line: lineOf(doc, lines, ['devices', n, 'wordOrder']),
          field: `devices[${n}].wordOrder`,
          message: `${d.type} speaks ${protocol}; wordOrder is for Modbus devices only`,
        });
      if (d.streamCheck && protocol && protocol !== 'onvif')
        problems.push({
          line: lineOf(doc, lines, ['devices', n, 'streamCheck']),
          field: `devices[${n}].streamCheck`,
          message: `${d.type} speaks ${protocol}; streamCheck is for cameras only`,
        });
      if (!catalog.has(d.type))
        problems.push({
          line: lineOf(doc, lines, ['devices', n, 'type']),
          field: `devices[${n}].type`,
          message: `unknown device type "${d.type}"; expected one of: ${catalog.types().join(', ')}`,
        });
      (d.covers ?? []).forEach((c, k) => {
        if (!config.devices.some((o) => o.id === c) || c === d.id)
          problems.push({
            line: lineOf(doc, lines, ['devices', n, 'covers', k]),
            field: `devices[${n}].covers[${k}]`,
            message: `covers "${c}", which is not another device of this gateway`,
          });
      });
      if (!d.location.gridId.startsWith(config.gateway.community))
        problems.push({
          line: lineOf(doc, lines, ['devices', n, 'location', 'gridId']),
          field: `devices[${n}].location.gridId`,
          message: `grid ${d.location.gridId} is not in this gateway's community ${config.gateway.community}`,
        });
    });
  }
  if (!problems.length)
    for (const p of gbProblems(value as GatewayConfig, (t) =>
      ['onvif', 'gb28181'].includes(catalog.protocolOf?.(t) ?? ''),
    ))
      problems.push({ line: lineOf(doc, lines, p.path), field: fieldOf(p.path), message: p.message });
  if (!problems.length)
    for (const p of lineProblems((value as GatewayConfig).devices.map((d) => d.transport)))
      problems.push({
        line: lineOf(doc, lines, ['devices', p.device, ...p.field]),
        field: `devices[${p.device}].${p.field.join('.')}`,
        message: p.message,
      });
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (problems.length) throw new ConfigError(path, problems);
  const config = value as GatewayConfig;
  const base = dirname(path);
  // Gate and camera password files, like the token file, are relative to the config file.
  for (const d of config.devices)
    if (
      (d.transport.kind === 'isapi' || d.transport.kind === 'onvif' || d.transport.kind === 'gb28181') &&
      d.transport.passwordFile
    )
      d.transport.passwordFile = resolve(base, d.transport.passwordFile);
  if (config.gb28181) config.gb28181.passwordFile = resolve(base, config.gb28181.passwordFile);
  return {
    file: path,
    config,
    dataDir: resolve(base, config.dataDir),
    tokenFile: resolve(base, config.hub.tokenFile),
    ...(config.flows ? { flowsPasswordFile: resolve(base, config.flows.passwordFile) } : {}),
    ...(config.flows?.trustedKeyFile ? { flowsTrustedKeyFile: resolve(base, config.flows.trustedKeyFile) } : {}),
  };
}

/** `['devices', 2, 'gbId']` → `devices[2].gbId`. */
function fieldOf(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
}

/** The line of the deepest node that exists along `path` (a missing field points at its parent). */
function lineOf(doc: Document, lines: LineCounter, path: (string | number)[]): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return null;
}
