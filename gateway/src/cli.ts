#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ConfigError } from '@linli/contract';
import { builtinRegistry } from '@linli/drivers';
import { loadConfig } from './config/load.js';
import { Controller } from './controller.js';
import { writePasswordHash } from './flows/password.js';
import { createLogger } from './log.js';

const USAGE = `linli-gateway — the Linli community edge gateway

  linli-gateway run --config gateway.yaml         run the gateway
  linli-gateway config validate gateway.yaml      check a config file and exit
  linli-gateway flows set-password --config gateway.yaml
                                                  set the flow editor / status page password
                                                  (read from stdin; only its bcrypt hash is stored)`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string', short: 'c' } },
  });
  const registry = builtinRegistry();
  const [cmd, sub, arg] = positionals;
  if (cmd === 'config' && sub === 'validate' && arg) {
    const loaded = loadConfig(arg, registry);
    console.log(`${loaded.file}: OK (${loaded.config.devices.length} devices)`);
    return 0;
  }
  if (cmd === 'flows' && sub === 'set-password' && values.config) {
    const loaded = loadConfig(values.config, registry);
    if (!loaded.flowsPasswordFile) throw new Error(`${loaded.file} has no flows section; add \`flows: {}\` first`);
    const password = await readPassword();
    writePasswordHash(loaded.flowsPasswordFile, password);
    console.log(`password hash written to ${loaded.flowsPasswordFile}; restart the gateway to use it`);
    return 0;
  }
  if (cmd === 'run' && values.config) {
    const loaded = loadConfig(values.config, registry);
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
  console.error(USAGE);
  return 64;
}

/**
 * One line from stdin. Pipe it so it never shows on screen or in shell history:
 * `read -rs P && printf '%s\n' "$P" | linli-gateway flows set-password -c gateway.yaml`.
 */
async function readPassword(): Promise<string> {
  const { stdin, stderr } = process;
  if (stdin.isTTY) stderr.write('new flows password (at least 10 characters): ');
  const rl = createInterface({ input: stdin, terminal: false });
  const line = await new Promise<string>((resolve, reject) => {
    rl.once('line', resolve);
    rl.once('close', () => reject(new Error('no password given on stdin')));
  });
  rl.close();
  if (stdin.isTTY) stderr.write('\n');
  return line.replace(/\r$/, '');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(err.message);
      console.error('Fix the lines above and run `linli-gateway config validate <file>` to check.');
      process.exit(2);
    }
    console.error(`linli-gateway: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
