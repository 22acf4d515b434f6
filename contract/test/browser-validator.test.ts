import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkAlert, checkEvent, checkReply } from '../src/browser.js';
import { browserValidatorSource } from '../src/codegen.js';
import { AlertSchema, BROWSER_GET_PATHS, compile, createIdFactory, GET_REPLIES, validators } from '../src/index.js';

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

describe('precompiled reply and alert validators', () => {
  const alert = {
    id: '01JD0000000000000000000000',
    state: 'raised',
    level: 0,
    version: 1,
    kind: 'smoke.alarm',
    severity: 'critical',
    gatewayId: 'gw-1',
    deviceId: 'smoke-01',
    gridId: '341302001001001',
    lng: 117,
    lat: 33.6,
    count: 1,
    firstEventId: '01JD0000000000000000000001',
    firstEventAt: 1,
    lastEventAt: 1,
    raisedAt: 2,
    stateSince: 2,
    updatedAt: 2,
    dueAt: null,
    assignee: null,
    resolution: null,
    clearedAt: null,
    windowId: null,
    duringWindowId: null,
  };

  it('agree with the run-time validators on good and bad alerts', () => {
    const server = compile(AlertSchema, 'alert');
    const cases = [alert, { ...alert, state: 'escalated' }, { ...alert, extra: 1 }, { ...alert, count: 0 }, {}];
    for (const c of cases) expect(checkAlert(c).ok, JSON.stringify(c)).toBe(server.check(c).ok);
    expect(checkAlert(alert).ok).toBe(true);
  });

  it('has one for every GET reply the cockpit reads, agreeing with the run-time one', () => {
    for (const path of BROWSER_GET_PATHS) {
      const server = compile(GET_REPLIES[path], path);
      for (const c of [{ ok: true }, { ok: false }, null])
        expect(checkReply(path, c).ok, `${path} ${JSON.stringify(c)}`).toBe(server.check(c).ok);
    }
    const list = { ok: true, alerts: [alert] };
    expect(checkReply('/api/alerts', list).ok).toBe(true);
    const bad = checkReply('/api/alerts', { ok: true, alerts: [{ ...alert, level: -1 }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]?.field).toBe('alerts.0.level');
  });
});
