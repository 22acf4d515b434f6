import { sosOnPress } from '../capabilities.js';
import type { CallBoxDefinition } from '../definition.js';

/** A one-key call button (一键呼叫) in a lone elder's home: a press raises `sos.call`. */
export const definition: CallBoxDefinition = {
  type: 'callbox-button',
  title: { zh: '一键呼叫按钮', en: 'One-key call button' },
  protocol: 'callbox',
  points: [{ name: 'pressed' }],
  rules: [sosOnPress('pressed')],
};
