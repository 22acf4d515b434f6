import { describe, expect, it } from 'vitest';
import { EventBus } from '../src/event-bus.js';

type Events = { tick: [number] };

describe('EventBus', () => {
  it('calls every listener even when one throws or rejects, and reports each as <component>/<event>', async () => {
    const errors: string[] = [];
    const bus = new EventBus<Events>((component, event, err) => errors.push(`${component}/${event}: ${String(err)}`));
    const seen: string[] = [];
    bus.on('tick', 'first', (n) => void seen.push(`first ${n}`));
    bus.on('tick', 'thrower', () => {
      throw new Error('boom');
    });
    bus.on('tick', 'rejecter', async () => {
      throw new Error('later');
    });
    bus.on('tick', 'last', (n) => void seen.push(`last ${n}`));
    bus.emit('tick', 7);
    expect(seen).toEqual(['first 7', 'last 7']);
    expect(errors).toEqual(['thrower/tick: Error: boom']);
    await new Promise<void>((r) => setImmediate(r));
    expect(errors).toEqual(['thrower/tick: Error: boom', 'rejecter/tick: Error: later']);
  });

  it('survives an error reporter that throws itself, and unsubscribes cleanly during an emit', () => {
    const bus = new EventBus<Events>(() => {
      throw new Error('the log is on a full disk');
    });
    const seen: number[] = [];
    const off = bus.on('tick', 'once', (n) => {
      seen.push(n);
      off();
    });
    bus.on('tick', 'thrower', () => {
      throw new Error('boom');
    });
    bus.on('tick', 'after', (n) => void seen.push(n * 10));
    expect(() => bus.emit('tick', 1)).not.toThrow();
    bus.emit('tick', 2);
    expect(seen).toEqual([1, 10, 20]);
    expect(bus.listenerCount('tick')).toBe(2);
  });
});
