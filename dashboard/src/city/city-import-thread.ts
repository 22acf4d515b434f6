import { Worker } from 'node:worker_threads';
import { builtWorkerScript } from '../built-worker.js';
import type { CityFile, CityImportOptions, CityProgress } from './city-import.js';
import type { CityDraft } from './city-types.js';

type WorkerReply = { progress: CityProgress } | { draft: CityDraft } | { error: string };

/**
 * geo's importCity on a worker thread, so the hub keeps serving while a large
 * city is read and validated. The files' bytes are copied to the worker (the
 * caller's buffers stay usable); progress arrives as the worker reports it.
 */
export function importCityInWorker(files: readonly CityFile[], opts: CityImportOptions): Promise<CityDraft> {
  const { onProgress, ...plain } = opts;
  return new Promise((resolve, reject) => {
    // No inherited flags: the worker runs built JavaScript and resolves packages to their
    // dist/, whatever conditions the parent was started with (vitest's `source`).
    const worker = new Worker(builtWorkerScript('city/city-import-worker.js', 'the city import worker'), {
      workerData: { files, opts: plain },
      execArgv: [],
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerReply) => {
      if ('progress' in m) onProgress?.(m.progress);
      else if ('draft' in m) settle(() => resolve(m.draft));
      else settle(() => reject(new Error(m.error)));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`the city import worker exited (${code}) before it finished`))),
    );
  });
}
