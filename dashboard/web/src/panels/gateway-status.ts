import type { GatewayView } from '@linli/contract';
import { formatCount, formatDateTime, t } from '../i18n.js';

/** A gateway's status older than this means it stopped reporting. */
const STALE_MS = 60_000;
/** A link that dropped this often since the gateway started is flagged (flapping, or its identity used twice). */
const FLAPPING_DROPS = 10;

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
        g.clockSuspect
          ? t(
              `时钟偏差 ${Math.round((g.clockSkewMs ?? 0) / 1000)} 秒`,
              `clock off by ${Math.round((g.clockSkewMs ?? 0) / 1000)} s`,
            )
          : '',
        g.lostTelemetry ? `${t('已丢弃遥测', 'telemetry dropped')} ${formatCount(g.lostTelemetry)}` : '',
        g.status?.buffer.diskFull ? t('磁盘已满', 'disk full') : '',
        (g.status?.link?.drops ?? 0) >= FLAPPING_DROPS
          ? t(
              `链路断开 ${formatCount(g.status!.link!.drops)} 次`,
              `link dropped ${formatCount(g.status!.link!.drops)} times`,
            )
          : '',
      ].filter(Boolean);
      // The hub hears nothing while a gateway is away: its last report says since when; the gateway's page says why.
      const offline =
        g.statusAt === null ? t('离线', 'offline') : `${t('离线 · 自', 'offline since')} ${formatDateTime(g.statusAt)}`;
      const link = g.status?.link;
      const lastDrop =
        link?.lastError && link.lastErrorAt
          ? `${t('上次断线', 'last drop')} ${formatDateTime(link.lastErrorAt)}: ${link.lastError}`
          : '';
      const gb = gbCell(g.status?.gb28181);
      const cells: [string, string][] = [
        [name + (warnings.length ? ` ⚠` : ''), warnings.length ? 'warn' : ''],
        [
          g.connected ? (stale ? t('在线(无心跳)', 'online (no heartbeat)') : t('在线', 'online')) : offline,
          g.connected ? 'up' : 'down',
        ],
        [formatCount(g.status?.buffer.depth ?? 0), 'num'],
        [formatCount(Math.round(g.status?.replayRate ?? 0)), 'num'],
        [g.status ? `${g.status.devices.online}/${g.status.devices.total}` : '–', 'num'],
        [gb.text, gb.cls],
      ];
      for (const [text, cls] of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        tr.append(td);
      }
      const notes = [...warnings, lastDrop, gb.note].filter(Boolean);
      if (notes.length) tr.title = notes.join('；');
      return tr;
    }),
  );
}

type GbLink = NonNullable<NonNullable<GatewayView['status']>['gb28181']>;

/** The gateway's GB/T 28181 registration to the public-security platform: – when not configured. */
function gbCell(link: GbLink | undefined): { text: string; cls: string; note: string } {
  if (!link) return { text: '–', cls: '', note: '' };
  const registered = link.state === 'registered';
  const text = registered
    ? t('已注册', 'registered')
    : link.state === 'registering' || link.state === 'connecting'
      ? t('注册中', 'registering')
      : t('未注册', 'not registered');
  const pending = link.alarmsPending
    ? `${t('，待上报报警', ', alarms waiting')} ${formatCount(link.alarmsPending)}`
    : '';
  const why =
    link.lastError && link.lastErrorAt
      ? `${t('国标上次错误', 'GB/T 28181 last error')} ${formatDateTime(link.lastErrorAt)}: ${link.lastError}`
      : '';
  return {
    text,
    cls: registered ? 'up' : 'down',
    note: `${t('国标平台', 'GB/T 28181 platform')} ${link.platform}${pending}${why ? '; ' + why : ''}`,
  };
}
