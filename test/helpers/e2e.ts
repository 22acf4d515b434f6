import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './processes.js';

/**
 * Builds every package and the bundles the hub serves (cockpit, phone), as CI
 * does before a browser test; a failed build fails the suite with its output.
 */
export function buildProduct(): void {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
}

/** A grid worker's phone as the field tests emulate it: 375×812 at 2×, touch, zh-CN. */
export const PHONE = {
  viewport: { width: 375, height: 812 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'zh-CN',
} as const;
