import type { Logger } from '../log.js';

/** Node-RED's numeric levels (@node-red/util log.js). */
const FATAL = 10;
const ERROR = 20;
const WARN = 30;
const INFO = 40;
const DEBUG = 50;

export interface NodeRedLogMsg {
  level: number;
  msg?: unknown;
  type?: string;
  id?: string;
  name?: string;
}

/**
 * A Node-RED log handler that writes into the gateway's pino logger, so the
 * runtime's and the nodes' lines are JSON lines like every other gateway line
 * (with the node's type and id), and that lets the flow-set apply watch for
 * node errors.
 */
export function nodeRedLogging(log: Logger, onError: (m: NodeRedLogMsg) => void) {
  return {
    linli: {
      level: 'info',
      metrics: false,
      audit: false,
      handler: () => (m: NodeRedLogMsg) => {
        const fields = { nodeType: m.type, nodeId: m.id, nodeName: m.name };
        const text = logText(m.msg);
        if (m.level <= ERROR) {
          onError(m);
          if (m.level <= FATAL) log.fatal(fields, text);
          else log.error(fields, text);
        } else if (m.level <= WARN) log.warn(fields, text);
        else if (m.level <= INFO) log.info(fields, text);
        else if (m.level <= DEBUG) log.debug(fields, text);
        else log.trace(fields, text);
      },
    },
  };
}

/** Node-RED logs strings, Errors, or Errors encoded for the editor (`{__enc__, data: {message}}`). */
export function logText(msg: unknown): string {
  if (msg instanceof Error) return msg.message;
  if (typeof msg === 'string') return msg;
  const enc = msg as { __enc__?: boolean; data?: { message?: unknown } } | null;
  if (enc?.__enc__ && typeof enc.data?.message === 'string') return enc.data.message;
  return JSON.stringify(msg);
}
