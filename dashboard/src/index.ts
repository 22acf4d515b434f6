export { Hub, type HubOptions, hubServices } from './hub.js';
export { createLogger, type Logger } from './log.js';
export { hashSecret, newSecret, secretMatches } from './secrets.js';
export type { GatewayRecord, HubStore, IngestResult } from './store/hub-store.js';
export { SqliteHubStore } from './store/sqlite-store.js';
export { MediaStore, type StoredPicture } from './media/media-store.js';
