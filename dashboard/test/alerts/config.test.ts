import { ValidationError } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG, parseAlertConfig, slaFor } from '../../src/alerts/index.js';

const MIN = 60_000;

function issues(input: unknown) {
  try {
    parseAlertConfig(input);
  } catch (e) {
    if (e instanceof ValidationError) return e.issues.map((i) => `${i.field}: ${i.message}`);
    throw e;
  }
  throw new Error('expected the configuration to be refused');
}

describe('alert configuration', () => {
  it('fills defaults from an empty configuration', () => {
    expect(parseAlertConfig({})).toEqual(DEFAULT_ALERT_CONFIG);
    expect(parseAlertConfig({ sla: { default: { resolveMs: 60 * MIN } } }).sla.default).toEqual({
      ...DEFAULT_ALERT_CONFIG.sla.default,
      resolveMs: 60 * MIN,
    });
  });

  it('picks each timer from the most specific rule: kind+severity, kind, severity, default', () => {
    const c = parseAlertConfig({
      sla: {
        default: { dispatchMs: 10 * MIN, acknowledgeMs: 20 * MIN, resolveMs: 90 * MIN },
        rules: [
          { kind: 'gas.alarm', severity: 'critical', dispatchMs: 1 * MIN },
          { severity: 'critical', dispatchMs: 5 * MIN, acknowledgeMs: 6 * MIN },
          { kind: 'gas.alarm', acknowledgeMs: 2 * MIN, dispatchMs: 3 * MIN },
        ],
      },
    });
    expect(slaFor(c, 'gas.alarm', 'critical')).toEqual({
      dispatchMs: MIN,
      acknowledgeMs: 2 * MIN,
      resolveMs: 90 * MIN,
    });
    expect(slaFor(c, 'gas.alarm', 'warning')).toEqual({
      dispatchMs: 3 * MIN,
      acknowledgeMs: 2 * MIN,
      resolveMs: 90 * MIN,
    });
    expect(slaFor(c, 'smoke.alarm', 'critical')).toEqual({
      dispatchMs: 5 * MIN,
      acknowledgeMs: 6 * MIN,
      resolveMs: 90 * MIN,
    });
    expect(slaFor(c, 'smoke.alarm', 'warning')).toEqual(c.sla.default);
  });

  it('reports every problem at once, naming the field', () => {
    expect(
      issues({
        foldWindowMs: -1,
        maxLevel: 0,
        retries: 3,
        sla: { default: { dispatchMs: 10 }, rules: [{ kind: 'smoke', resolveMs: 'soon' }] },
      }),
    ).toEqual(
      expect.arrayContaining([
        'foldWindowMs: must be >= 0',
        'maxLevel: must be >= 1',
        'retries: is not an allowed field',
        'sla.default.dispatchMs: must be >= 1000',
        'sla.rules[0].resolveMs: must be integer',
        expect.stringMatching(/^sla\.rules\[0\]\.kind: must be one of .*"smoke\.alarm"/),
      ]),
    );
  });

  it('refuses rules that match nothing specific, set no timer, or repeat another', () => {
    expect(
      issues({
        sla: {
          rules: [
            { dispatchMs: MIN },
            { kind: 'sos.call' },
            { kind: 'sos.call', dispatchMs: MIN },
            { kind: 'sos.call', resolveMs: MIN },
          ],
        },
      }),
    ).toEqual([
      'sla.rules[0]: needs a kind, a severity or both (use sla.default otherwise)',
      'sla.rules[1]: sets no timer (dispatchMs, acknowledgeMs or resolveMs)',
      'sla.rules[2]: repeats the match of sla.rules[1]',
      'sla.rules[3]: repeats the match of sla.rules[1]',
    ]);
  });
});
