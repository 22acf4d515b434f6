import { builtinRegistry } from '@linli/drivers';
import { loadConfig } from '../config/load.js';
import { checkDevice } from './device-checks.js';
import { checkGbLink } from './gb-check.js';
import { Output, table } from './output.js';

/**
 * `test`: every configured device once, one after another (devices may share
 * a bus), then a table: PASS, or FAIL with what to do. Exit 0 only when all pass.
 */
export async function testCommand(opts: { config: string; json: boolean }): Promise<number> {
  const out = new Output(opts.json);
  const registry = builtinRegistry();
  const { config, file } = loadConfig(opts.config, registry);
  out.progress(`检测 testing ${config.devices.length} devices from ${file} …`);
  const results = [];
  for (const [n, d] of config.devices.entries()) {
    out.progress(`  [${n + 1}/${config.devices.length}] ${d.id} …`);
    results.push(await checkDevice(d, registry));
  }
  if (config.gb28181) {
    out.progress(`  GB/T 28181 ${config.gb28181.upper.host}:${config.gb28181.upper.port} …`);
    results.push(await checkGbLink(config.gb28181, file));
  }
  const failed = results.filter((r) => !r.ok);
  out.line(
    table(
      ['device', 'type', 'target', 'result', 'detail'],
      results.map((r) => [r.id, r.type, r.target, r.ok ? 'PASS 通过' : 'FAIL 失败', r.detail]),
    ),
  );
  if (failed.length) {
    out.line('');
    out.line('如何修复 how to fix:');
    for (const r of failed) out.line(`  ${r.id}: ${r.fix}`);
  }
  out.line('');
  out.line(
    failed.length
      ? `${failed.length} of ${results.length} devices failed 未通过`
      : `all ${results.length} devices pass 全部通过`,
  );
  out.result({ ok: failed.length === 0, passed: results.length - failed.length, failed: failed.length, results });
  return failed.length ? 1 : 0;
}
