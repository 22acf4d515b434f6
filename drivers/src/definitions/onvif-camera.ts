import type { OnvifDefinition } from '../definition.js';

/** Any ONVIF Profile S camera: motion, tamper and thrown-object analytics arrive as camera events. */
export const definition: OnvifDefinition = {
  type: 'onvif-camera',
  title: { zh: 'ONVIF 网络摄像机', en: 'ONVIF IP camera' },
  protocol: 'onvif',
  points: [{ name: 'streamAlive' }, { name: 'lastFrameAt', unit: 'ms' }],
  rules: [],
};
