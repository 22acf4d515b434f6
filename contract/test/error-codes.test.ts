import { describe, expect, it } from 'vitest';
import {
  BadInput,
  ConfigError,
  ERROR_CODE_LIST,
  ERROR_CODES,
  FieldFault,
  faultDomain,
  InternalError,
  isErrorCode,
  LinliError,
  StorageFault,
  validators,
  wire,
} from '../src/index.js';

describe('the closed set of error codes', () => {
  it('gives every code one of the five fault domains', () => {
    const domains = new Set(Object.values(ERROR_CODES));
    expect([...domains].sort()).toEqual(['device', 'input', 'internal', 'network', 'storage']);
    expect(ERROR_CODE_LIST.every((c) => /^[A-Z][A-Z0-9_]+$/.test(c))).toBe(true);
  });

  it('refuses a code outside the set on the wire, and carries retryAfterMs as a field', () => {
    const limited = wire.failure('RATE_LIMITED', 'too many messages', undefined, { retryAfterMs: 250 });
    expect(validators.batchReply.check(limited).ok).toBe(true);
    expect(limited.error.retryAfterMs).toBe(250);
    const unknown = { ok: false, error: { code: 'BAD_ARGS', message: 'x' } };
    expect(validators.batchReply.check(unknown).ok).toBe(false);
    expect(validators.commandReply.check(unknown).ok).toBe(false);
    expect(validators.commandReply.check({ ok: false, error: { code: 'INVALID_ARGS', message: 'x' } }).ok).toBe(true);
  });

  it('reads a refused handshake by its code field, not its words', () => {
    const refusal = wire.handshakeRefusal('UNAUTHORIZED', 'whatever the words say');
    expect(wire.refusalCode(refusal)).toBe('UNAUTHORIZED');
    expect(wire.refusalCode(new Error('unauthorized'))).toBeNull();
    expect(wire.refusalCode({ data: { code: 'NOT_A_CODE' } })).toBeNull();
    expect(isErrorCode('STORAGE')).toBe(true);
  });

  it('puts each error class in its domain', () => {
    expect(new InternalError('bug').domain).toBe('internal');
    expect(new FieldFault('TIMEOUT', 'no answer').domain).toBe('device');
    expect(new StorageFault('STORAGE', 'disk').domain).toBe('storage');
    expect(new ConfigError('f.yaml', [])).toBeInstanceOf(BadInput);
    expect(new LinliError('HUB_UNREACHABLE', 'x').domain).toBe(faultDomain('HUB_UNREACHABLE'));
    expect(faultDomain('HUB_UNREACHABLE')).toBe('network');
  });
});
