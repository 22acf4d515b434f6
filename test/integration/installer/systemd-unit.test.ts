import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/processes.js';

const UNIT = join(ROOT, 'deploy', 'systemd', 'linli-gateway.service');

/**
 * No systemd runs in the test container, but systemd's own tools check the
 * unit offline: `verify` parses every key, `security` scores the sandbox.
 */
describe('systemd unit', () => {
  it('parses cleanly with systemd-analyze verify', () => {
    const r = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' });
    expect(r.stderr + r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('is sandboxed: exposure score at most 2.0 of 10 by systemd-analyze security', () => {
    const r = spawnSync('systemd-analyze', ['security', '--offline=true', UNIT], { encoding: 'utf8' });
    const score = Number(/Overall exposure level for [^:]+: ([\d.]+)/.exec(r.stdout)?.[1]);
    expect(score).toBeLessThanOrEqual(2.0);
  });

  it('runs the built CLI with a data dir it may write and restarts on failure', () => {
    const unit = readFileSync(UNIT, 'utf8');
    // --optimize-for-size keeps the gateway within its memory budget through a long outage (docs/store-and-forward.md).
    const exec =
      /^ExecStart=\/usr\/bin\/node --optimize-for-size \/opt\/linli\/(\S+) run --config \/etc\/linli\/gateway\.yaml$/m.exec(
        unit,
      );
    expect(exec).not.toBeNull();
    // /opt/linli is this repository's built tree on the box.
    expect(existsSync(join(ROOT, exec![1]!))).toBe(true);
    expect(unit).toMatch(/^DynamicUser=yes$/m);
    expect(unit).toMatch(/^ProtectSystem=strict$/m);
    expect(unit).toMatch(/^ReadWritePaths=\/var\/lib\/linli-gateway$/m);
    expect(unit).toMatch(/^StateDirectory=linli-gateway$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
  });
});
