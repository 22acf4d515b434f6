import type { Gb28181Definition } from '../definition.js';

/** A camera or NVR that registers to the gateway over GB/T 28181: its alarms arrive as events, an NVR lists its channels. */
export const definition: Gb28181Definition = {
  type: 'gb28181-camera',
  title: { zh: '国标 GB/T 28181 摄像机/NVR', en: 'GB/T 28181 camera or NVR' },
  protocol: 'gb28181',
  points: [{ name: 'registered' }, { name: 'channels' }],
  rules: [],
};
