import { describe, expect, it } from 'vitest';
import { BusManager } from '../../src/bus/bus-manager.js';
import { createDevice } from '../../src/device.js';
import { maskId, maskPlate, minimiseAlert } from '../../src/gate/minimise.js';
import { LineManager } from '../../src/line/line-manager.js';
import { builtinRegistry } from '../../src/registry.js';

const alert = (ace: Record<string, unknown>) => ({
  eventType: 'AccessControllerEvent',
  dateTime: '2026-05-01T08:00:00+08:00',
  AccessControllerEvent: { name: '张伟', cardNo: '3123456789', employeeNoString: 'R1001', serialNo: 42, ...ace },
});

describe('personal data minimisation', () => {
  it('masks card numbers and plates', () => {
    expect(maskId('3123456789')).toBe('****6789');
    expect(maskId('123')).toBe('***');
    expect(maskPlate('皖L12345')).toBe('皖L·***45');
    expect(maskPlate('皖AD12345')).toBe('皖A·****45');
    expect(maskPlate('皖L·12345')).toBe('皖L·***45');
  });

  it('keeps only what the event needs: never the name, the card only masked, and nothing with none-kept', () => {
    const fact = minimiseAlert(alert({ majorEventType: 5, subEventType: 1, cardReaderNo: 2, doorNo: 2 }), 'last4');
    expect(fact).toEqual({
      serialNo: 42,
      time: Date.parse('2026-05-01T00:00:00Z'),
      door: 2,
      kind: 'pass',
      method: 'card',
      direction: 'out',
      credentialMasked: '****6789',
    });
    expect(JSON.stringify(fact)).not.toMatch(/张伟|3123456789|R1001/);
    const none = minimiseAlert(alert({ majorEventType: 5, subEventType: 0x4b }), 'none-kept');
    expect(none).toMatchObject({ kind: 'pass', method: 'face' });
    expect(none).not.toHaveProperty('credentialMasked');
  });

  it('ignores codes Linli does not use and malformed records, and recognises heartbeats', () => {
    expect(minimiseAlert(alert({ majorEventType: 5, subEventType: 0x26 }), 'last4')).toBe('ignored'); // fingerprint only
    expect(minimiseAlert(alert({ majorEventType: 'x', subEventType: 1 }), 'last4')).toBe('ignored');
    expect(
      minimiseAlert(
        { eventType: 'AccessControllerEvent', AccessControllerEvent: { majorEventType: 5, subEventType: 1 } },
        'last4',
      ),
    ).toBe('ignored'); // no time
    expect(minimiseAlert([1, 2], 'last4')).toBe('ignored');
    expect(minimiseAlert({ eventType: 'heartBeat' }, 'last4')).toBe('heartbeat');
    expect(minimiseAlert({ eventType: 'videoloss', eventState: 'inactive' }, 'last4')).toBe('heartbeat');
  });

  it('a gate needs exactly one of password and passwordFile', async () => {
    const def = await builtinRegistry().get('isapi-door-terminal');
    const ctx = {
      emit: async () => {},
      log: { info: () => {}, warn: () => {} },
      buses: new BusManager(),
      lines: new LineManager(),
    };
    const cfg = (extra: object) => ({
      id: 'g',
      type: def.type,
      pollMs: 1000,
      timeoutMs: 1000,
      transport: {
        kind: 'isapi' as const,
        host: 'h',
        port: 80,
        username: 'u',
        mask: 'last4' as const,
        heartbeatTimeoutMs: 1000,
        ...extra,
      },
    });
    expect(() => createDevice(def, cfg({}), ctx)).toThrow(
      /exactly one of transport.password and transport.passwordFile/,
    );
    expect(() => createDevice(def, cfg({ password: 'a', passwordFile: '/x' }), ctx)).toThrow(/exactly one/);
  });
});
