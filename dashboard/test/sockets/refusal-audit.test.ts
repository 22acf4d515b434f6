import { expect, it } from 'vitest';
import type { Viewer } from '@linli/contract';
import { AuditLog } from '../../src/audit/audit-log.js';
import { createLogger } from '../../src/log.js';
import { RefusalAudit } from '../../src/sockets/refusal-audit.js';
import { describeEachDialect } from '../support/dialects.js';

const auditor: Viewer = { userId: 'aud', role: 'auditor', areaCode: '341300' };
const refusal = (code: string, seq: number) => ({
  gatewayId: 'gw-a',
  areaCode: '341302001001',
  lane: 'events' as const,
  code,
  sample: { seq, deviceId: 'gate-x' },
});

describeEachDialect('RefusalAudit: authority refusals, rate-limited per gateway and code', (ctx) => {
  it('writes the first refusal at once and the rest of the window as one summary that counts them', async () => {
    const log = new AuditLog(ctx.db);
    const window = 300;
    const audit = new RefusalAudit(log, createLogger('test', 'silent'), window);
    const t0 = Date.now();
    audit.refused(refusal('GRID_OUTSIDE_AREA', 1), 1, t0);
    for (let i = 2; i <= 40; i++) audit.refused(refusal('GRID_OUTSIDE_AREA', i), 10, t0 + 1);
    audit.refused(refusal('DEVICE_UNDECLARED', 99), 2, t0 + 1);
    await log.flush();
    const first = await log.list(auditor, { action: 'gateway:event-refused' });
    expect(first.entries.map((e) => [e.detail.code, e.detail.count, e.detail.seq])).toEqual([
      ['GRID_OUTSIDE_AREA', 1, 1],
      ['DEVICE_UNDECLARED', 2, 99],
    ]);
    // The window ends: one summary for the 39 suppressed calls (390 events), with the first suppressed sample.
    let entries = first.entries;
    for (let i = 0; i < 200 && entries.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
      await log.flush();
      entries = (await log.list(auditor, { action: 'gateway:event-refused' })).entries;
    }
    expect(entries.map((e) => [e.detail.code, e.detail.count, e.detail.seq])).toEqual([
      ['GRID_OUTSIDE_AREA', 1, 1],
      ['DEVICE_UNDECLARED', 2, 99],
      ['GRID_OUTSIDE_AREA', 390, 2],
    ]);
    expect(
      entries.every((e) => e.outcome === 'denied' && e.target.id === 'gw-a' && e.areaCode === '341302001001'),
    ).toBe(true);
  });

  it('writes pending summaries when flushed (the hub stopping) and keeps ids that look personal out', async () => {
    const log = new AuditLog(ctx.db);
    const audit = new RefusalAudit(log, createLogger('test', 'silent'), 3_600_000);
    audit.refused(refusal('GRID_OUTSIDE_AREA', 1), 1);
    audit.refused({ ...refusal('GRID_OUTSIDE_AREA', 2), sample: { deviceId: 'meter-13800138000' } }, 5);
    audit.flush();
    await log.flush();
    const { entries } = await log.list(auditor, { action: 'gateway:event-refused' });
    expect(entries.map((e) => e.detail)).toEqual([
      expect.objectContaining({ count: 1, seq: 1 }),
      expect.objectContaining({ count: 5, withheld: 'ids look like personal numbers' }),
    ]);
    expect(JSON.stringify(entries)).not.toContain('13800138000');
  });
});
