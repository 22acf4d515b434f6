import { envelope, fault } from './onvif-soap.js';

/** One PTZ call the simulated camera received, with the velocity it was asked for. */
export interface PtzCall {
  action: 'ContinuousMove' | 'Stop';
  profileToken: string;
  /** ContinuousMove's Velocity (absent parts are 0); Stop's are 0. */
  pan: number;
  tilt: number;
  zoom: number;
  at: number;
}

export const PTZ_ACTIONS = new Set(['ContinuousMove', 'Stop']);

const attr = (xml: string, el: string, name: string): number | null => {
  const m = new RegExp(`<(?:\\w+:)?${el}\\b[^>]*\\b${name}="([^"]*)"`).exec(xml);
  return m ? Number(m[1]) : null;
};

/**
 * The ONVIF PTZ service (ver20/ptz/wsdl) as far as a joystick needs it:
 * ContinuousMove with a velocity in [-1, 1] and Stop. Every call is recorded
 * so tests can assert what the gateway asked the camera to do.
 */
export class PtzService {
  readonly calls: PtzCall[] = [];

  handle(action: string, xml: string): { status: number; body: string } {
    const profileToken = /<(?:\w+:)?ProfileToken>([^<]*)</.exec(xml)?.[1] ?? '';
    if (!profileToken) return { status: 400, body: fault('ter:InvalidArgVal', 'no ProfileToken') };
    if (action === 'Stop') {
      this.calls.push({ action, profileToken, pan: 0, tilt: 0, zoom: 0, at: Date.now() });
      return { status: 200, body: envelope('<tptz:StopResponse xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl"/>') };
    }
    const pan = attr(xml, 'PanTilt', 'x') ?? 0;
    const tilt = attr(xml, 'PanTilt', 'y') ?? 0;
    const zoom = attr(xml, 'Zoom', 'x') ?? 0;
    if (![pan, tilt, zoom].every((v) => Number.isFinite(v) && Math.abs(v) <= 1))
      return { status: 400, body: fault('ter:InvalidArgVal', 'velocity outside [-1, 1]') };
    this.calls.push({ action: 'ContinuousMove', profileToken, pan, tilt, zoom, at: Date.now() });
    return {
      status: 200,
      body: envelope('<tptz:ContinuousMoveResponse xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl"/>'),
    };
  }
}
