import { builtinRegistry } from '@linli/drivers';
import { loadConfig } from '../config/load.js';
import { Controller } from '../controller.js';
import { createLogger } from '../log.js';
import { ProcessGuard } from './process-guard.js';

/** Exit status for "a database is corrupt": not 0, so systemd (Restart=on-failure) starts the service again. */
const EXIT_CORRUPT = 70;
/** A clean stop must not hang the restart after corruption. */
const FATAL_STOP_MS = 10_000;

/** `run`: the gateway itself, until SIGINT/SIGTERM (systemd, docker) or its parent goes away. */
export async function runCommand(file: string): Promise<number> {
  const registry = builtinRegistry();
  const loaded = loadConfig(file, registry);
  const log = createLogger(`gateway:${loaded.config.gateway.id}`);
  const controller = new Controller(loaded, registry, log);
  let fatal: ((code: number) => void) | null = null;
  const ended = new Promise<number>((resolve) => (fatal = resolve));
  const guard = new ProcessGuard(log, () => fatal?.(EXIT_CORRUPT));
  guard.install();
  controller.processErrors = guard.escaped;
  await controller.start();
  const code = await Promise.race([
    ended,
    new Promise<number>((resolve) => {
      const stop = () => resolve(0);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // Spawned by the demo with an IPC channel: if the parent dies, so do we (no orphans).
      if (process.send) process.once('disconnect', stop);
    }),
  ]);
  if (code === 0) await controller.stop();
  else {
    // Corruption: stop what can be stopped, but never wait forever for it.
    const t = setTimeout(() => process.exit(code), FATAL_STOP_MS);
    // Stopping after a fatal error: a part that fails to stop must not keep the process from exiting.
    await controller.stop().catch(() => {});
    clearTimeout(t);
  }
  guard.uninstall();
  return code;
}
