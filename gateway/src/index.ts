export { Outbox, type OutboxOptions, type OutboxStats } from './buffer/outbox.js';
export { BufferFullError } from './buffer/draft.js';
export { renderMetrics } from './metrics.js';
export { type LoadedConfig, loadConfig, type TypeCatalog } from './config/load.js';
export { CONFIG_VERSION, type DeviceEntry, type GatewayConfig, GatewayConfigSchema } from './config/schema.js';
export { Controller } from './controller.js';
export { createLogger, type Logger } from './log.js';
export { Uplink, type UplinkOptions, type UplinkState } from './uplink/uplink.js';
