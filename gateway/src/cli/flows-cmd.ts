import { createInterface } from 'node:readline';
import { builtinRegistry } from '@linli/drivers';
import { loadConfig } from '../config/load.js';
import { writePasswordHash } from '../flows/password.js';
import { UsageError } from './output.js';

/**
 * `flows set-password`: the flow editor / status page password, read from
 * stdin (pipe it: `read -rs P; echo "$P" | linli-gateway flows set-password -c …`);
 * only its bcrypt hash is written, next to the config.
 */
export async function flowsCommand(sub: string | undefined, config: string | undefined): Promise<number> {
  if (sub !== 'set-password' || !config) throw new UsageError('flows: use `flows set-password --config FILE`');
  const loaded = loadConfig(config, builtinRegistry());
  if (!loaded.flowsPasswordFile) throw new UsageError(`${loaded.file} has no flows section; add \`flows: {}\` first`);
  writePasswordHash(loaded.flowsPasswordFile, await readPassword());
  console.log(`password hash written to ${loaded.flowsPasswordFile}; restart the gateway to use it`);
  return 0;
}

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
