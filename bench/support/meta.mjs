// What a benchmark run was measured on: date, commit, machine. Written as the
// first line of bench/results/latest.jsonl, so the tables made from it say it.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

const git = (...args) => {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};

export function machineMeta() {
  const cpu = cpus();
  const dirty = git('status', '--porcelain', '--untracked-files=no');
  return {
    date: new Date().toISOString(),
    commit: git('rev-parse', '--short=10', 'HEAD'),
    // Uncommitted changes to tracked files: the figures are not those of the commit alone.
    dirty: dirty === null ? null : dirty.length > 0,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    // Other work on the machine when the run started (1-minute load average): shared machines vary.
    load1: Math.round(loadavg()[0] * 100) / 100,
  };
}
