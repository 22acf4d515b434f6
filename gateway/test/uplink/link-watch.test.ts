import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { describeDisconnect, hubOrigin, LinkWatch } from '../../src/uplink/link-watch.js';

function watch(unreachableWarnMs = 60_000) {
  const lines: { level: number; msg: string; reason?: string; hub?: string }[] = [];
  let now = 1_000_000;
  const log = createLogger('t', 'debug', { write: (l: string) => void lines.push(JSON.parse(l)) });
  const w = new LinkWatch({ hubUrl: 'http://user:secret@hub.example:8080/x', unreachableWarnMs, now: () => now }, log);
  return { w, lines, advance: (ms: number) => (now += ms), warns: () => lines.filter((l) => l.level === 40) };
}

describe('LinkWatch', () => {
  it('warns when a live link ends and when the reason changes; repeats of a failure stay at debug', () => {
    const t = watch();
    t.w.failed('timeout', false, 100);
    t.w.failed('timeout', false, 100);
    t.w.failed('unauthorized', false, 100);
    t.w.online();
    t.w.failed('the connection was closed (transport close)', true, 100);
    expect(t.warns().map((l) => [l.msg, l.reason])).toEqual([
      ['hub connection failed; retrying', 'timeout'],
      ['hub connection failed; retrying', 'unauthorized'],
      ['uplink disconnected; reconnecting', 'the connection was closed (transport close)'],
    ]);
    expect(t.lines.filter((l) => l.level === 20)).toHaveLength(1);
    expect(t.w.report().drops).toBe(1);
  });

  it('says once that the hub is unreachable after the delay, then ten times less often, and when it is back', () => {
    const t = watch(1000);
    t.w.failed('timeout', false, 100);
    t.advance(999);
    t.w.failed('timeout', false, 100);
    expect(t.warns().filter((l) => /unreachable/.test(l.msg))).toHaveLength(0);
    t.advance(1);
    t.w.failed('timeout', false, 100);
    t.advance(5000);
    t.w.failed('timeout', false, 100);
    const unreachable = () => t.warns().filter((l) => /unreachable/.test(l.msg));
    expect(unreachable().map((l) => l.msg)).toEqual(['hub http://hub.example:8080 unreachable for 1 s: timeout']);
    t.advance(5000);
    t.w.failed('timeout', false, 100);
    expect(unreachable()).toHaveLength(2);
    t.w.online();
    expect(t.warns().at(-1)!.msg).toBe('hub reachable again');
    expect(t.w.report()).toMatchObject({ offlineSince: null, failedAttempts: 0, lastError: 'timeout' });
  });

  it('reports the reason and since when, and never the credentials in the hub URL', () => {
    const t = watch();
    expect(t.w.report()).toMatchObject({ hub: 'http://hub.example:8080', lastError: null, offlineSince: 1_000_000 });
    t.advance(10);
    t.w.failed('x', false, 5);
    expect(t.w.report()).toEqual({
      hub: 'http://hub.example:8080',
      lastError: 'x',
      lastErrorAt: 1_000_010,
      offlineSince: 1_000_000,
      failedAttempts: 1,
      drops: 0,
    });
    expect(JSON.stringify(t.lines)).not.toContain('secret');
    expect(hubOrigin('not a url')).toBe('(invalid hub url)');
    expect(describeDisconnect('io server disconnect')).toMatch(/replaced it/);
    expect(describeDisconnect('something new')).toBe('something new');
  });
});
