import type { MaintenanceWindowView } from '@linli/contract';
import type { Api } from '../api.js';
import type { AreaTree } from '../area-tree.js';
import { t } from '../i18n.js';

/** A maintenance window as the hub sends it: the contract's schema (contract/src/rest/alerts.ts). */
export type WindowView = MaintenanceWindowView;

/** Approved and open now: alarms in it (except life-safety ones) are being suppressed. */
export const isActive = (w: WindowView, now: number) => w.status === 'approved' && w.startsAt <= now && now < w.endsAt;

/** The area node a window's prefix names (a city prefix like 3413 is the city 341300). */
export function windowArea(tree: AreaTree, w: WindowView): string {
  return tree.nodes.has(w.areaPrefix) ? w.areaPrefix : `${w.areaPrefix}00`;
}

/** True when an active window covers `code` or lies inside it: the area shows the 维护中 badge. */
export function underMaintenance(windows: readonly WindowView[], code: string, now: number): boolean {
  return windows.some((w) => isActive(w, now) && (code.startsWith(w.areaPrefix) || w.areaPrefix.startsWith(code)));
}

/**
 * The maintenance windows not over yet in the user's area (pending, scheduled,
 * open), refreshed every `everyMs`: windows begin and end by the clock, with
 * no event to announce it, and the hub cuts the list to the user's area.
 */
export class MaintenanceWatch {
  windows: WindowView[] = [];

  constructor(
    private readonly api: Api,
    private readonly onChange: (windows: readonly WindowView[]) => void,
  ) {}

  async load(): Promise<void> {
    const r = await this.api.get('/api/maintenance-windows', { current: true });
    this.windows = r.windows;
    this.onChange(this.windows);
  }

  start(everyMs = 30_000): void {
    const run = () => this.load().catch((err: unknown) => console.warn('maintenance windows not loaded', err));
    void run();
    setInterval(run, everyMs);
  }

  /** The 维护中 labels for the map, one per area with an active window. */
  badges(tree: AreaTree, now: number): { position: [number, number]; text: string }[] {
    const areas = new Set(this.windows.filter((w) => isActive(w, now)).map((w) => windowArea(tree, w)));
    return [...areas].flatMap((code) => {
      const position = tree.centre(code);
      return position ? [{ position, text: t('维护中', 'maintenance') }] : [];
    });
  }
}

/** The 维护中 badge beside an area's name (area panel, area tree). */
export function badge(): HTMLElement {
  const s = document.createElement('span');
  s.className = 'maintenance-badge';
  s.textContent = t('维护中', 'maintenance');
  return s;
}
