#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError } from '@linli/contract';
import { configCommand } from './cli/config-cmd.js';
import { discoverCommand } from './cli/discover.js';
import { enrollCommand } from './cli/enroll.js';
import { flowsCommand } from './cli/flows-cmd.js';
import { initCommand } from './cli/init.js';
import { UsageError } from './cli/output.js';
import { runCommand } from './cli/run.js';
import { statusCommand } from './cli/status.js';
import { testCommand } from './cli/test-devices.js';

const USAGE = `linli-gateway — the Linli community edge gateway 邻里边缘网关

  linli-gateway init [--config gateway.yaml] [--community CODE --hub URL --gateway-id ID --data-dir DIR]
                     [--answers FILE] [--installer-token TOKEN] [--local-password-file F] [--force]    write a commented config (wizard on a terminal)
  linli-gateway discover [--onvif [--interface ADDR]] [--modbus HOST:PORT|/dev/ttyX [--units 1-247]]
                     [--dlt645 HOST:PORT|/dev/ttyX] [--gate HOST[:PORT]] [--append gateway.yaml --grid GRID]
                                                                  find devices on the network and the buses
  linli-gateway test --config gateway.yaml                        check every configured device once
  linli-gateway enroll --config gateway.yaml --code XXXX-XXXX-XXXX  swap a one-time code for this gateway's token
  linli-gateway status --config gateway.yaml | --url http://127.0.0.1:9100    uplink, buffer, devices online
  linli-gateway config validate gateway.yaml                      check a config file and exit
  linli-gateway config migrate gateway.yaml                       bring a config to the current version (keeps a backup)
  linli-gateway run --config gateway.yaml                         run the gateway
  linli-gateway flows set-password --config gateway.yaml          set the flow editor / status page password
                                                                  (read from stdin; only its bcrypt hash is stored)

Every command takes --json for scripts: one JSON document on stdout, progress on stderr.`;

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  // init
  community: { type: 'string' },
  hub: { type: 'string' },
  'gateway-id': { type: 'string' },
  'gateway-name': { type: 'string' },
  'data-dir': { type: 'string' },
  answers: { type: 'string' },
  'installer-token': { type: 'string' },
  'local-password-file': { type: 'string' },
  force: { type: 'boolean', default: false },
  // discover
  onvif: { type: 'boolean', default: false },
  interface: { type: 'string' },
  'onvif-target': { type: 'string' },
  modbus: { type: 'string', multiple: true },
  units: { type: 'string' },
  baud: { type: 'string' },
  parity: { type: 'string' },
  dlt645: { type: 'string', multiple: true },
  gate: { type: 'string', multiple: true },
  'timeout-ms': { type: 'string' },
  append: { type: 'string' },
  grid: { type: 'string' },
  // enroll, status
  code: { type: 'string' },
  url: { type: 'string' },
} as const;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [cmd, sub, arg] = positionals;
  const json = values.json;
  if (values.help || !cmd) {
    console.log(USAGE);
    return values.help ? 0 : 64;
  }
  switch (cmd) {
    case 'run':
      if (!values.config) throw new UsageError('run: give --config FILE');
      return runCommand(values.config);
    case 'config':
      return configCommand(sub, arg, json);
    case 'flows':
      return flowsCommand(sub, values.config);
    case 'status':
      return statusCommand({ config: values.config, url: values.url, json });
    case 'enroll':
      return enrollCommand({ config: values.config, code: values.code, json });
    case 'test':
      if (!values.config) throw new UsageError('test: give --config FILE');
      return testCommand({ config: values.config, json });
    case 'discover':
      return discoverCommand({ ...values, json });
    case 'init':
      return initCommand({ ...values, json });
  }
  throw new UsageError(`unknown command "${cmd}"`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`linli-gateway: ${(err as Error).message}\n\n${USAGE}`);
      process.exit(64);
    }
    if (err instanceof ConfigError) {
      console.error(err.message);
      console.error('Fix the lines above and run `linli-gateway config validate <file>` to check.');
      process.exit(2);
    }
    console.error(`linli-gateway: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
