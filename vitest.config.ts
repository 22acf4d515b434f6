import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Tests are split by cost: unit (pure, in-process), integration (real processes,
// sockets and SQLite files) and e2e (the demo city in real Chromium).
// Workspace packages resolve to their TypeScript sources through the `source` export condition.
/**
 * Two tiers of one suite (CONTRIBUTING.md, "Test tiers"). `npm test` runs every project and every file.
 * `npm run test:fast` (LINLI_TEST_TIER=fast) runs the unit project without its slow files: those named
 * `*.slow.test.ts`, each saying why on its first line (a service, a browser, or many seconds of CPU).
 * Dual-engine suites run their SQLite half there. test/tiers.test.ts checks the split with Vitest's own globbing.
 */
const FAST = process.env.LINLI_TEST_TIER === 'fast';
export const SLOW_FILES = '**/*.slow.test.ts';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // dashboard/web/src: the cockpit's pure modules have their tests beside them.
          include: [
            '{contract,geo,drivers,gateway,dashboard,flows}/test/**/*.test.ts',
            'dashboard/web/src/**/*.test.ts',
            // test/tiers.test.ts: the split between the fast tier and the full suite.
            'test/*.test.ts',
          ],
          // A hang bound, not a speed check: property tests with thousands of runs and the tests that spawn
          // processes take seconds on a busy 2-core machine.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // The fast tier also shares each worker's module cache between files (isolate: false; importing the
          // hub's modules afresh for every file was a third of the tier's CPU) and uses every core (Vitest keeps
          // one for itself by default: one worker on a 2-core machine). The full suite keeps fresh modules per file.
          ...(FAST
            ? { exclude: [SLOW_FILES, '**/node_modules/**'], isolate: false, maxWorkers: availableParallelism() }
            : {}),
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Hang bounds, not speed checks: a beforeAll that starts a hub, simulators, an RTSP server and a
          // gateway with Node-RED took over 60 s on the 2-core CI machine while the rest of the suite ran.
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 240_000, hookTimeout: 300_000 },
      },
    ],
  },
});
