import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEvent } from '../src/browser.js';
import { browserValidatorSource } from '../src/codegen.js';
import { createIdFactory, validators } from '../src/index.js';

describe('precompiled browser validator', () => {
  it('is up to date with the event schema (run `npm run gen:browser-validator -w @linli/contract` if not)', () => {
    const committed = readFileSync(new URL('../src/generated/event-validator.ts', import.meta.url), 'utf8');
    expect(committed === browserValidatorSource()).toBe(true);
  });

  it('agrees with the run-time validator on good and bad events', () => {
    const good = {
      v: 1,
      id: createIdFactory()(),
      gatewayId: 'gw-1',
      seq: 3,
      deviceTime: 1,
      receivedAt: 2,
      deviceId: 'safety-01',
      kind: 'gas.alarm',
      severity: 'critical',
      location: { lng: 117, lat: 33.6, gridId: '341302001001001' },
      payload: { active: true },
    };
    const cases = [
      good,
      { ...good, kind: 'gas.explosion' },
      { ...good, payload: { active: 'yes' } },
      { ...good, seq: -1 },
      { ...good, extra: true },
      { ...good, location: { ...good.location, gridId: 'x' } },
      null,
      'event',
    ];
    for (const c of cases) expect(checkEvent(c).ok, JSON.stringify(c)).toBe(validators.event.check(c).ok);
    const bad = checkEvent({ ...good, payload: { active: 'yes' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]?.field).toBe('payload.active');
  });

  it('checks field updates like the run-time validator', async () => {
    const { checkFieldUpdate } = await import('../src/browser.js');
    const good = {
      type: 'position',
      userId: createIdFactory()(),
      name: '王网格',
      gridId: '341302001001001',
      at: 1,
      lng: 117,
      lat: 33.6,
    };
    for (const c of [good, { ...good, type: 'teleport' }, { ...good, userId: 'x' }, { ...good, extra: 1 }])
      expect(checkFieldUpdate(c).ok, JSON.stringify(c)).toBe(validators.fieldUpdate.check(c).ok);
    expect(checkFieldUpdate(good).ok).toBe(true);
  });
});
