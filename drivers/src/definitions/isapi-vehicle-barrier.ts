import type { IsapiGateDefinition } from '../definition.js';

/**
 * A vehicle barrier (车闸) with plate recognition speaking ISAPI: passes by
 * plate (masked before they leave the gateway), block-listed plates refused,
 * and remote open of the barrier arm.
 */
export const definition: IsapiGateDefinition = {
  type: 'isapi-vehicle-barrier',
  title: { zh: '车辆道闸（车牌识别，ISAPI）', en: 'Vehicle barrier with plate recognition (ISAPI)' },
  protocol: 'isapi',
  role: 'barrier',
  rules: [],
};
