import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Logger } from '../log.js';

/**
 * Socket.IO across hub nodes through Redis pub/sub (@socket.io/redis-adapter).
 * Chosen over the Redis Streams adapter because the hub does not use
 * connection-state recovery (the one feature that needs streams): a cockpit
 * that reconnects reloads recent events from the database, and events are
 * stored before they are broadcast, so a packet lost while Redis blips costs a
 * refresh, never an event. Pub/sub also keeps nothing in Redis.
 */
export async function connectRedisAdapter(url: string, log: Logger) {
  if (!/^rediss?:\/\//.test(url)) throw new Error(`--redis must be a redis:// URL (got ${url.split(':')[0]}:…)`);
  const pub = createClient({ url });
  const sub = pub.duplicate();
  // Reconnects are node-redis's job; an error here must not crash the hub.
  for (const c of [pub, sub]) c.on('error', (err: unknown) => log.warn({ err: String(err) }, 'redis connection error'));
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: createAdapter(pub, sub, { key: 'linli', requestsTimeout: 5000 }),
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
