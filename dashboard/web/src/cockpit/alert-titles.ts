import type { AlertSource } from '@linli/contract';
import type { AlertView } from '../alert-store.js';
import type { Api } from '../api.js';
import { KIND_LABEL, t } from '../i18n.js';

/** What raised an alert, as /api/alert-sources tells it. */
export type { AlertSource };

/** The shipped local rules (flows/shipped/*.json) by the name they raise alerts under. */
const RULE_LABEL: Record<string, string> = {
  'smoke-gas': t('烟感燃气告警', 'Smoke/gas alarm'),
  'elevator-entrapment': t('电梯困人告警', 'Lift entrapment'),
  'door-forced': t('强行开门告警', 'Door forced open'),
  'lone-elder-water': t('独居老人用水异常', 'Lone elder: no water use'),
  'one-key-call': t('一键呼叫告警', 'One-key call'),
  'night-loitering': t('夜间徘徊告警', 'Night loitering'),
};

/** The device types of drivers/src/definitions, as a person calls them. */
const DEVICE_LABEL: Record<string, string> = {
  'di-safety-sensor': t('安全传感器', 'safety sensor'),
  'elevator-monitor': t('电梯监测', 'lift monitor'),
  'energy-meter-3p': t('三相电表', 'power meter'),
  'dlt645-meter': t('电表', 'power meter'),
  'cjt188-water-meter': t('水表', 'water meter'),
  'isapi-door-terminal': t('门禁', 'door terminal'),
  'isapi-vehicle-barrier': t('车闸', 'vehicle barrier'),
  'onvif-camera': t('摄像机', 'camera'),
  smoke: t('烟感', 'smoke detector'),
  gate: t('门禁', 'door terminal'),
  cam: t('摄像机', 'camera'),
  sos: t('一键呼叫按钮', 'SOS button'),
};

const kindLabel = (k: string) => (KIND_LABEL as Record<string, string>)[k] ?? k;

/**
 * The words an alert is shown by: a local rule's alert by its rule (never
 * the bare 本地规则告警), any other by its kind; then the device it came from,
 * by its type when the gateway declared it. "烟感燃气告警 · 安全传感器 safety-01".
 */
export function alertTitle(a: Pick<AlertView, 'kind' | 'deviceId'>, src?: AlertSource): string {
  const what =
    a.kind === 'rule.alert' && src?.rule
      ? (RULE_LABEL[src.rule] ?? `${t('本地规则', 'rule')} ${src.rule}`)
      : kindLabel(a.kind);
  const type = src?.deviceType ? (DEVICE_LABEL[src.deviceType] ?? src.deviceType) : null;
  return `${what} · ${type ? `${type} ` : ''}${a.deviceId}`;
}

/** Largest id list one request carries (the hub's limit). */
const BATCH = 200;
const RETRY_MS = 30_000;

/**
 * The sources of the alerts on screen, asked for once per alert in batches;
 * `onLoaded` redraws the rows once new ones arrive. A failed request is
 * asked again after a pause (the titles fall back to the kind meanwhile).
 */
export class AlertSources {
  private readonly known = new Map<string, AlertSource>();
  private readonly asked = new Set<string>();

  constructor(
    private readonly api: Api,
    private readonly onLoaded: () => void,
  ) {}

  get(id: string): AlertSource | undefined {
    return this.known.get(id);
  }

  title(a: AlertView): string {
    return alertTitle(a, this.known.get(a.id));
  }

  want(alerts: readonly AlertView[]): void {
    const missing = alerts.map((a) => a.id).filter((id) => !this.asked.has(id));
    for (let i = 0; i < missing.length; i += BATCH) void this.load(missing.slice(i, i + BATCH));
  }

  private async load(ids: string[]): Promise<void> {
    for (const id of ids) this.asked.add(id);
    try {
      const r = await this.api.get('/api/alert-sources', { ids: ids.join(',') });
      for (const s of r.sources) this.known.set(s.id, s);
      if (r.sources.length) this.onLoaded();
    } catch (err) {
      setTimeout(() => {
        for (const id of ids) this.asked.delete(id);
      }, RETRY_MS);
      console.warn('alert sources not loaded; titles show the kind', err);
    }
  }
}
