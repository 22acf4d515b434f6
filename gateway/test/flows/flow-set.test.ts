import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIdFactory, ValidationError } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { CommandRouter } from '../../src/commands/router.js';
import { loadTrustedKey, signedBytes, validateFlowSet } from '../../src/flows/flow-set.js';
import { LoginLimiter } from '../../src/flows/login-limiter.js';
import { checkPassword, readPasswordHash, writePasswordHash } from '../../src/flows/password.js';
import { shippedFlowSet } from '../../src/flows/shipped.js';
import { createLogger } from '../../src/log.js';

const KNOWN = new Set(['function', 'switch', 'linli-event-in', 'linli-alert', 'linli-command', 'linli-state']);
const tab = { id: 't1', type: 'tab', label: 'x' };
const alert = { id: 'a1', type: 'linli-alert', z: 't1', rule: 'r1', severity: 'warning', text: 'hi', wires: [[]] };
const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => `${i.field}: ${i.message}`);
    throw err;
  }
  return [];
};

describe('flow set validation', () => {
  it('accepts the shipped flows (only installed types, valid Linli settings)', () => {
    const shipped = shippedFlowSet();
    expect(shipped.version).toMatch(/^shipped-/);
    expect(shipped.flows.filter((n) => n.type === 'tab')).toHaveLength(6);
    expect(validateFlowSet(shipped, KNOWN).flows).toHaveLength(shipped.flows.length);
  });

  it('lists every problem: version, unknown types, duplicate ids, bad Linli settings, credentials', () => {
    const issues = issuesOf(() =>
      validateFlowSet(
        {
          version: 'v 1',
          flows: [
            tab,
            { id: 'x', type: 'exec', command: 'reboot' },
            { id: 'x', type: 'function' },
            { ...alert, id: 'a2', severity: 'panic' },
            { id: 'e1', type: 'linli-event-in', kinds: 'lift.stuck' },
            { id: 'c1', type: 'linli-command', command: 'relay.set', credentials: { password: 'p' } },
          ],
        },
        KNOWN,
      ),
    );
    expect(issues).toEqual(['version: must be 1–64 characters: letters, digits, . _ + -']);
    const more = issuesOf(() =>
      validateFlowSet(
        {
          version: 'v1',
          flows: [
            tab,
            { id: 'x', type: 'exec', command: 'reboot' },
            { id: 'x', type: 'function' },
            { ...alert, id: 'a2', severity: 'panic' },
            { id: 'e1', type: 'linli-event-in', kinds: 'lift.stuck' },
            { id: 'c1', type: 'linli-command', command: 'relay.set', credentials: { password: 'p' } },
          ],
        },
        KNOWN,
      ),
    );
    expect(more).toEqual([
      'flows[1].type: node type "exec" is not installed on this gateway',
      'flows[2].id: duplicate id x',
      'flows[3].severity: unknown severity "panic"',
      'flows[4].kinds: unknown event kind "lift.stuck"',
      'flows[5].credentials: pushed flows must not carry credentials',
    ]);
    expect(issuesOf(() => validateFlowSet({ version: 'v1', flows: [] }, KNOWN))).toEqual([
      'flows: must be a non-empty array of nodes',
    ]);
    expect(issuesOf(() => validateFlowSet([tab], KNOWN))[0]).toContain('must be an object');
  });

  it('requires a valid Ed25519 signature when the gateway trusts a key', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const key = loadTrustedKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const set = { version: '2026.11-a', flows: [tab, alert] };
    const signature = sign(null, signedBytes(set), privateKey).toString('base64');
    expect(validateFlowSet({ ...set, signature }, KNOWN, key).version).toBe('2026.11-a');
    expect(issuesOf(() => validateFlowSet(set, KNOWN, key))).toEqual(['signature: is required by this gateway']);
    const tampered = { ...set, flows: [tab, { ...alert, text: 'changed' }], signature };
    expect(issuesOf(() => validateFlowSet(tampered, KNOWN, key))).toEqual([
      'signature: does not verify with the trusted flows key',
    ]);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() => loadTrustedKey(rsa.export({ type: 'spki', format: 'pem' }).toString())).toThrow(/Ed25519/);
  });
});

describe('editor password and login limiter', () => {
  it('stores only a bcrypt hash, 0600, that checks the right password and no other', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'linli-pw-')), 'flows.password');
    expect(readPasswordHash(file)).toMatchObject({ problem: expect.stringContaining('set-password') });
    expect(() => writePasswordHash(file, 'short')).toThrow(/at least 10/);
    writePasswordHash(file, 'a long enough password');
    expect(readFileSync(file, 'utf8')).not.toContain('a long enough password');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const r = readPasswordHash(file);
    if (!('hash' in r)) throw new Error(r.problem);
    expect(await checkPassword('a long enough password', r.hash)).toBe(true);
    expect(await checkPassword('a long enough passwore', r.hash)).toBe(false);
  });

  it('locks an address after five failures, doubling the wait, and forgets on success', () => {
    let now = 1_000_000;
    const l = new LoginLimiter(() => now);
    for (let i = 0; i < 4; i++) l.failed('10.0.0.9');
    expect(l.retryAfter('10.0.0.9')).toBe(0);
    l.failed('10.0.0.9');
    expect(l.retryAfter('10.0.0.9')).toBe(30_000);
    expect(l.retryAfter('10.0.0.8')).toBe(0);
    now += 30_000;
    l.failed('10.0.0.9');
    expect(l.retryAfter('10.0.0.9')).toBe(60_000);
    l.succeeded('10.0.0.9');
    expect(l.retryAfter('10.0.0.9')).toBe(0);
  });
});

describe('command router', () => {
  const nextId = createIdFactory();
  const cmd = (over: Record<string, unknown> = {}) => ({
    id: nextId(),
    name: 'flows.apply',
    args: { version: 'v1' },
    issuedBy: 'ops:li',
    issuedAt: 1000,
    expiresAt: 2000,
    ...over,
  });

  it('refuses invalid and expired commands, runs a command id once, and routes device commands', async () => {
    let now = 1500;
    let runs = 0;
    const router = new CommandRouter(
      () => undefined,
      createLogger('t', 'silent'),
      () => now,
    );
    router.register('flows.apply', async (c) => ({ applied: c.args.version, run: ++runs }));
    expect(await router.handle({ name: 'flows.apply' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_COMMAND' },
    });
    const c = cmd();
    expect(await router.handle(c)).toEqual({ ok: true, result: { applied: 'v1', run: 1 } });
    expect(await router.handle(c)).toEqual({ ok: true, result: { applied: 'v1', run: 1 } });
    expect(runs).toBe(1);
    now = 2001;
    expect(await router.handle(cmd())).toMatchObject({ ok: false, error: { code: 'EXPIRED' } });
    expect(runs).toBe(1);
    now = 1500;
    expect(await router.handle(cmd({ name: 'gate.open', deviceId: 'gate-01' }))).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no device gate-01 on this gateway' },
    });
    expect(await router.handle(cmd({ name: 'diagnostics' }))).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED' },
    });
  });
});
