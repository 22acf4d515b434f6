#!/usr/bin/env node
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ID_PATTERN } from '@linli/contract';
import { COCKPIT_KEY_SETTING, Hub } from './hub.js';
import { createLogger } from './log.js';
import { MediaStore } from './media/media-store.js';
import { hashSecret, newSecret } from './secrets.js';
import { SqliteHubStore } from './store/sqlite-store.js';

const USAGE = `linli-hub — the Linli command-center hub

  linli-hub serve --data DIR [--host 127.0.0.1] [--port 8080]
  linli-hub gateway add --data DIR --id GATEWAY_ID   issue (or re-issue) a gateway token; prints it once
  linli-hub cockpit-key --data DIR                   issue a new cockpit key (the old one stops working); prints it once`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string', default: process.env.LINLI_DATA ?? './data/hub' },
      host: { type: 'string', default: process.env.LINLI_HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.LINLI_PORT ?? '8080' },
      id: { type: 'string' },
    },
  });
  const dbFile = join(resolve(values.data), 'hub.sqlite');
  const [cmd, sub] = positionals;
  if (cmd === 'gateway' && sub === 'add') {
    if (!values.id || !new RegExp(ID_PATTERN).test(values.id)) {
      console.error(`--id must match ${ID_PATTERN}`);
      return 64;
    }
    const store = new SqliteHubStore(dbFile);
    const token = newSecret();
    store.upsertGateway(values.id, hashSecret(token));
    store.close();
    process.stdout.write(`${token}\n`);
    return 0;
  }
  if (cmd === 'cockpit-key') {
    const store = new SqliteHubStore(dbFile);
    const key = newSecret();
    store.setSetting(COCKPIT_KEY_SETTING, hashSecret(key));
    store.close();
    process.stdout.write(`${key}\n`);
    return 0;
  }
  if (cmd === 'serve') {
    const log = createLogger('hub');
    const hub = new Hub({
      host: values.host,
      port: Number(values.port),
      store: new SqliteHubStore(dbFile),
      media: new MediaStore(join(resolve(values.data), 'media.sqlite')),
      log,
    });
    const { port } = await hub.start();
    console.log(JSON.stringify({ ready: true, port }));
    await new Promise<void>((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
      if (process.send) process.once('disconnect', () => done());
    });
    await hub.stop();
    return 0;
  }
  console.error(USAGE);
  return 64;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`linli-hub: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
