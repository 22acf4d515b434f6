import { parentPort, workerData } from 'node:worker_threads';
import { type CityFile, type CityImportOptions, importCity } from './city-import.js';

/**
 * A city import (read + validate) on its own thread: validating a 15,000-grid
 * city costs seconds of CPU, which on the main thread would stall every socket
 * and request the hub serves. Started by city-import-thread.ts; its messages
 * are { progress } while it runs, then { draft } or { error }.
 */
const { files, opts } = workerData as { files: CityFile[]; opts: Omit<CityImportOptions, 'onProgress'> };
try {
  const draft = await importCity(files, { ...opts, onProgress: (progress) => parentPort!.postMessage({ progress }) });
  parentPort!.postMessage({ draft });
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
