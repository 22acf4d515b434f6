import type { IsapiGateDefinition } from '../definition.js';

/**
 * A pedestrian access terminal (人脸/刷卡门禁一体机) speaking ISAPI: card, face,
 * QR and password passes, refusals, forced and held-open doors, tamper, and
 * remote open. Events are pushed on its alert stream.
 */
export const definition: IsapiGateDefinition = {
  type: 'isapi-door-terminal',
  title: { zh: '门禁一体机（ISAPI）', en: 'Access terminal (ISAPI)' },
  protocol: 'isapi',
  role: 'door',
  rules: [],
};
