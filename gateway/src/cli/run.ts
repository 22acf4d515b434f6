import { builtinRegistry } from '@linli/drivers';
import { loadConfig } from '../config/load.js';
import { Controller } from '../controller.js';
import { createLogger } from '../log.js';

/** `run`: the gateway itself, until SIGINT/SIGTERM (systemd, docker) or its parent goes away. */
export async function runCommand(file: string): Promise<number> {
  const registry = builtinRegistry();
  const loaded = loadConfig(file, registry);
  const log = createLogger(`gateway:${loaded.config.gateway.id}`);
  const controller = new Controller(loaded, registry, log);
  await controller.start();
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Spawned by the demo with an IPC channel: if the parent dies, so do we (no orphans).
    if (process.send) process.once('disconnect', stop);
  });
  await controller.stop();
  return 0;
}
