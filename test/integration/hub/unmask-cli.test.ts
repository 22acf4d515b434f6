import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HUB_CLI, hubCli } from '../../helpers/processes.js';

/** The hub machine's operator grants and revokes unmasking from the CLI; bounded, and audited like the REST route. */
describe('linli-hub user grant-unmask / revoke-unmask', () => {
  it('grants one named user until a time, refuses a grant beyond the maximum or to a role without records, revokes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-unmask-cli-'));
    hubCli(dir, ['user', 'add', '--username', 'worker.a', '--role', 'community_worker', '--area', '341302001001']);
    hubCli(dir, ['user', 'add', '--username', 'leader.a', '--role', 'street_leader', '--area', '341302001']);
    const granted = JSON.parse(hubCli(dir, ['user', 'grant-unmask', 'worker.a', '--until', '7d'])) as {
      until: string;
    };
    const days = (Date.parse(granted.until) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    const refuse = (args: string[]) =>
      spawnSync(process.execPath, [HUB_CLI, 'user', ...args, '--data', dir], { encoding: 'utf8' });
    const tooLong = refuse(['grant-unmask', 'worker.a', '--until', '40d']);
    expect(tooLong.status).toBe(1);
    expect(tooLong.stderr).toContain('授权期限最长');
    const leader = refuse(['grant-unmask', 'leader.a', '--until', '1d']);
    expect(leader.status).toBe(1);
    expect(leader.stderr).toContain('role street_leader');
    expect(refuse(['grant-unmask', 'worker.a', '--until', 'soon']).status).toBe(1);
    expect(JSON.parse(hubCli(dir, ['user', 'revoke-unmask', 'worker.a']))).toEqual({ username: 'worker.a', ended: 1 });
    const db = new Database(join(dir, 'hub.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare("SELECT action, outcome, user_id FROM audit_log WHERE action LIKE 'unmask.%' ORDER BY seq")
        .all();
      expect(rows).toEqual([
        { action: 'unmask.grant', outcome: 'ok', user_id: 'cli' },
        { action: 'unmask.grant', outcome: 'denied', user_id: 'cli' },
        { action: 'unmask.grant', outcome: 'denied', user_id: 'cli' },
        { action: 'unmask.revoke', outcome: 'ok', user_id: 'cli' },
      ]);
    } finally {
      db.close();
    }
    // Seven CLI processes, each opening the database and the key file: slow on a busy machine.
  }, 240_000);
});
