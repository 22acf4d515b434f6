import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FieldCrypto, KEY_FILE } from '../../src/privacy/field-crypto.js';

const dir = () => mkdtempSync(join(tmpdir(), 'linli-crypto-'));

describe('FieldCrypto', () => {
  it('creates its key file 0600 on first use and reuses it', () => {
    const d = dir();
    const a = FieldCrypto.open(d);
    expect(statSync(join(d, KEY_FILE)).mode & 0o777).toBe(0o600);
    const ct = a.encrypt('name', '张三');
    expect(FieldCrypto.open(d).decrypt('name', ct)).toBe('张三');
    expect(readFileSync(join(d, KEY_FILE), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
  });

  it('refuses a key file other users can read', () => {
    const d = dir();
    FieldCrypto.open(d);
    chmodSync(join(d, KEY_FILE), 0o644);
    expect(() => FieldCrypto.open(d)).toThrow(/chmod 600/);
  });

  it('uses a fresh IV per value, binds the field name, and detects tampering', () => {
    const c = FieldCrypto.open(dir());
    const a = c.encrypt('phone', '13812345678');
    const b = c.encrypt('phone', '13812345678');
    expect(a).not.toBe(b);
    expect(c.decrypt('phone', a)).toBe('13812345678');
    expect(() => c.decrypt('name', a)).toThrow();
    const raw = Buffer.from(a.slice(3), 'base64');
    raw.writeUInt8(raw.readUInt8(raw.length - 1) ^ 1, raw.length - 1);
    expect(() => c.decrypt('phone', `v1:${raw.toString('base64')}`)).toThrow();
  });

  it('gives equal blind indexes for equal values only, and different ones under another key', () => {
    const c = FieldCrypto.open(dir());
    expect(c.blindIndex('id_number', '11010519491231002X')).toBe(c.blindIndex('id_number', '11010519491231002X'));
    expect(c.blindIndex('id_number', '11010519491231002X')).not.toBe(c.blindIndex('id_number', '110105194912310037'));
    expect(FieldCrypto.open(dir()).blindIndex('id_number', '11010519491231002X')).not.toBe(
      c.blindIndex('id_number', '11010519491231002X'),
    );
  });
});
