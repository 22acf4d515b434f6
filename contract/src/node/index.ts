// Node-only helpers the gateway and the hub share (file system, logging): `@linli/contract/node`.
export { ensurePrivateDir, ensurePrivateFile, type LooseMode, looseModes, looseModesWarning } from './file-modes.js';
export { LOG_REDACT_PATHS, logOptions } from './log-options.js';
