import type { GatewayView } from '@linli/contract';
import { formatCount } from '../i18n.js';

/** A gateway's status older than this means it stopped reporting. */
const STALE_MS = 60_000;

/**
 * Device status per community gateway: link, backlog still to deliver, replay
 * rate, devices online, and warnings for clock trouble and evicted telemetry.
 */
export function renderGateways(
  tbody: HTMLTableSectionElement,
  views: readonly GatewayView[],
  communityName: (code: string) => string | undefined,
): void {
  const rows = [...views].sort(
    (a, b) => (b.status?.buffer.depth ?? 0) - (a.status?.buffer.depth ?? 0) || a.id.localeCompare(b.id),
  );
  tbody.replaceChildren(
    ...rows.map((g) => {
      const tr = document.createElement('tr');
      tr.dataset.gateway = g.id;
      const stale = g.statusAt === null || Date.now() - g.statusAt > STALE_MS;
      const name = communityName(g.id.replace(/^gw-/, '')) ?? g.id;
      const warnings = [
        g.clockSuspect ? `时钟偏差 ${Math.round((g.clockSkewMs ?? 0) / 1000)} 秒` : '',
        g.lostTelemetry ? `已丢弃遥测 ${formatCount(g.lostTelemetry)}` : '',
        g.status?.buffer.diskFull ? '磁盘已满' : '',
      ].filter(Boolean);
      const cells: [string, string][] = [
        [name + (warnings.length ? ` ⚠` : ''), warnings.length ? 'warn' : ''],
        [g.connected ? (stale ? '在线(无心跳)' : '在线') : '离线', g.connected ? 'up' : 'down'],
        [formatCount(g.status?.buffer.depth ?? 0), 'num'],
        [formatCount(Math.round(g.status?.replayRate ?? 0)), 'num'],
        [g.status ? `${g.status.devices.online}/${g.status.devices.total}` : '–', 'num'],
      ];
      for (const [text, cls] of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        tr.append(td);
      }
      if (warnings.length) tr.title = warnings.join('；');
      return tr;
    }),
  );
}
