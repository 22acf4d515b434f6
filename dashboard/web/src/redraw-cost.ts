import type { GatewayView } from '@linli/contract';
import { deviceFingerprint } from './layers/device-fingerprint.js';
import type { LayerMemo } from './layers/layer-memo.js';
import { state } from './shell.js';
import type { Stage } from './stage.js';

/**
 * The redraw-cost measurement the cockpit and the wall publish in
 * window.linli.state (test/e2e/redraw-cost*.e2e.test.ts read it): redraws,
 * the layer groups the last redraw built anew (layersRebuilt), builds per
 * group since the page opened (layerBuilds), label placements and gateway
 * status pushes. Counts only: what a redraw costs in time depends on the machine.
 */
export function startRedrawCount(): void {
  state.redraws = 0;
  state.gatewayPushes = 0;
}

/** After a redraw: what it built (the memo's counts) and how often the stage placed labels. */
export function countRedraw(memo: LayerMemo, stage: Stage): void {
  state.redraws = ((state.redraws as number | undefined) ?? 0) + 1;
  state.layersRebuilt = [...memo.rebuilt];
  state.layerBuilds = { ...memo.totals };
  state.labelPlacements = stage.placements;
}

/**
 * The handler for the hub's gateway pushes (every gateway's view every 2 s, a
 * new array each time, mostly equal to the last): counts each push and
 * redraws only when a drawn device symbol changed (layers/device-fingerprint.ts),
 * so a gateway going off line shows at once and an unchanged push costs nothing.
 */
export function onDevicePush(redraw: () => void): (views: readonly GatewayView[]) => void {
  let drawn = '';
  return (views) => {
    state.gatewayPushes = ((state.gatewayPushes as number | undefined) ?? 0) + 1;
    const devices = deviceFingerprint(views);
    if (devices === drawn) return;
    drawn = devices;
    redraw();
  };
}
