import type { Transport } from '@linli/drivers';

/** One RS-485 line as the config describes it: where it is, which protocol, which settings. */
interface LineUse {
  key: string;
  protocol: string;
  settings: string;
  /** Path of the transport field that names the line, for the error's line number. */
  field: (string | number)[];
}

function lineUse(t: Transport): LineUse | null {
  const serial = (path: string, s: { baudRate: number; parity: string; dataBits: number; stopBits: number }) =>
    `serial ${path}|${s.baudRate} ${s.dataBits}${s.parity[0]!.toUpperCase()}${s.stopBits}`;
  switch (t.kind) {
    case 'modbus-rtu': {
      const [key, settings] = serial(t.path, t).split('|') as [string, string];
      return { key, protocol: 'modbus', settings, field: ['transport', 'path'] };
    }
    case 'modbus-rtu-tcp':
      return {
        key: `serial server ${t.host}:${t.port}`,
        protocol: 'modbus',
        settings: '',
        field: ['transport', 'port'],
      };
    case 'dlt645':
    case 'cjt188': {
      const l = t.line;
      if (l.kind === 'tcp')
        return {
          key: `serial server ${l.host}:${l.port}`,
          protocol: t.kind,
          settings: '',
          field: ['transport', 'line'],
        };
      const [key, settings] = serial(l.path, l).split('|') as [string, string];
      return { key, protocol: t.kind, settings, field: ['transport', 'line', 'path'] };
    }
    default:
      return null; // Modbus TCP, ISAPI and ONVIF are network devices, not lines.
  }
}

export interface LineProblem {
  device: number;
  field: (string | number)[];
  message: string;
}

/**
 * One RS-485 line carries one protocol at one speed: two protocols (or two baud
 * rates or framings) on one serial path or one serial-server port would open
 * the same port twice and garble each other's frames, so the config is refused.
 */
export function lineProblems(transports: readonly Transport[]): LineProblem[] {
  const first = new Map<string, { use: LineUse; device: number }>();
  const out: LineProblem[] = [];
  transports.forEach((t, device) => {
    const use = lineUse(t);
    if (!use) return;
    const seen = first.get(use.key);
    if (!seen) return void first.set(use.key, { use, device });
    if (seen.use.protocol !== use.protocol)
      out.push({
        device,
        field: use.field,
        message: `${use.key} already carries ${seen.use.protocol} (devices[${seen.device}]); one line takes one protocol — wire ${use.protocol} meters to another port`,
      });
    else if (seen.use.settings !== use.settings)
      out.push({
        device,
        field: use.field,
        message: `${use.key} is set to ${seen.use.settings} by devices[${seen.device}], here ${use.settings}; every device on one line uses the same settings`,
      });
  });
  return out;
}
