import './styles.css';
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { boot } from './boot.js';
import { cityAdminView } from './city/city-admin-view.js';
import { cockpitView } from './cockpit/cockpit-view.js';
import { reviewView } from './review/review-view.js';
import { setLink, state } from './shell.js';
import { wallView } from './wall/wall-view.js';

// MapLibre's worker must be given a URL when bundled (see shared NOTES).
setWorkerUrl(workerUrl);

/**
 * One page, four views: the operator's cockpit (/), the wall display (/wall),
 * the street leader's review (/review), the administrator's city data (/city).
 */
async function main(): Promise<void> {
  const b = await boot(() => setLink('unauthorized'));
  const path = location.pathname.replace(/\/+$/, '');
  if (path === '/wall') {
    state.view = 'wall';
    await wallView(b);
  } else if (path === '/city') {
    await cityAdminView(b);
  } else if (path === '/review') {
    state.view = 'review';
    await reviewView(b);
  } else await cockpitView(b);
}

void main();
