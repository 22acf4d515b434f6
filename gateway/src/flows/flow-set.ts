import { verify, createPublicKey, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { EVENT_KINDS, SEVERITIES, ValidationError, type ValidationIssue } from '@linli/contract';
import type * as LinliConfig from '@linli/flows/config';

const { checkNode, LINLI_TYPES } = createRequire(import.meta.url)('@linli/flows/config') as typeof LinliConfig;

/** A versioned set of flows, as the hub pushes it (`flows.apply`) and as the gateway keeps it on disk. */
export interface FlowSet {
  version: string;
  flows: Record<string, unknown>[];
  /** Ed25519 over `signedBytes(set)`, base64; required when the gateway has a trusted key. */
  signature?: string;
}

export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;
const MAX_NODES = 5000;
/** Node-RED's structural types, which are not in the node registry. */
const STRUCTURAL = new Set(['tab', 'subflow', 'group', 'junction']);

/** What the signature covers: the version and the flows, byte for byte as sent. */
export function signedBytes(set: Pick<FlowSet, 'version' | 'flows'>): Buffer {
  return Buffer.from(`${set.version}\n${JSON.stringify(set.flows)}`, 'utf8');
}

export function loadTrustedKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the trusted flows key must be an Ed25519 public key');
  return key;
}

/**
 * Checks a flow set before anything is deployed: its shape, that every node
 * type is installed here (Node-RED would otherwise sit "waiting for missing
 * types" with all rules stopped), that Linli nodes' settings are valid, that
 * it carries no credentials, and its signature when a key is trusted.
 * Throws a ValidationError listing every problem.
 */
export function validateFlowSet(input: unknown, knownTypes: ReadonlySet<string>, trustedKey?: KeyObject): FlowSet {
  const issues: ValidationIssue[] = [];
  const bad = (field: string, message: string) => issues.push({ field, message });
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw new ValidationError('flow set', [{ field: '', message: 'must be an object {version, flows, signature?}' }]);
  const set = input as Record<string, unknown>;
  for (const k of Object.keys(set))
    if (!['version', 'flows', 'signature'].includes(k)) bad(k, 'is not a flow set field');
  if (typeof set.version !== 'string' || !VERSION_PATTERN.test(set.version))
    bad('version', 'must be 1–64 characters: letters, digits, . _ + -');
  if (!Array.isArray(set.flows) || set.flows.length === 0) bad('flows', 'must be a non-empty array of nodes');
  else if (set.flows.length > MAX_NODES) bad('flows', `has more than ${MAX_NODES} nodes`);
  if (set.signature !== undefined && typeof set.signature !== 'string') bad('signature', 'must be a base64 string');
  if (issues.length) throw new ValidationError('flow set', issues);
  const flows = set.flows as unknown[];
  const ids = new Set<string>();
  const subflows = new Set(
    flows
      .filter((n) => (n as { type?: unknown })?.type === 'subflow')
      .map((n) => `subflow:${(n as { id: string }).id}`),
  );
  flows.forEach((n, i) => {
    const at = `flows[${i}]`;
    if (n === null || typeof n !== 'object' || Array.isArray(n)) return bad(at, 'must be an object');
    const node = n as Record<string, unknown>;
    if (typeof node.id !== 'string' || !node.id) return bad(`${at}.id`, 'must be a non-empty string');
    if (ids.has(node.id)) bad(`${at}.id`, `duplicate id ${node.id}`);
    ids.add(node.id);
    if (typeof node.type !== 'string') return bad(`${at}.type`, 'must be a string');
    if ('credentials' in node) bad(`${at}.credentials`, 'pushed flows must not carry credentials');
    const type = node.type;
    if (!STRUCTURAL.has(type) && !subflows.has(type) && !knownTypes.has(type))
      bad(`${at}.type`, `node type "${type}" is not installed on this gateway`);
    if (LINLI_TYPES.includes(type))
      for (const p of checkNode({ ...node, type }, { kinds: EVENT_KINDS, severities: SEVERITIES }))
        bad(`${at}.${p.field}`, p.message);
  });
  if (trustedKey) {
    const sig = typeof set.signature === 'string' ? Buffer.from(set.signature, 'base64') : null;
    const ok = sig !== null && verify(null, signedBytes(set as unknown as FlowSet), trustedKey, sig);
    if (!ok) bad('signature', sig ? 'does not verify with the trusted flows key' : 'is required by this gateway');
  }
  if (issues.length) throw new ValidationError('flow set', issues);
  return set as unknown as FlowSet;
}
