import type { CityChanged } from '@linli/contract';
import { t } from './i18n.js';

/**
 * The cockpit's word that the hub now serves another city version: its area
 * tree, drill-down and layers are the old version's until the page reloads,
 * so the operator is told (城市数据已更新) and reloads when ready — an
 * operator in the middle of an alert is not interrupted.
 */
export function showCityChanged(msg: CityChanged): HTMLElement {
  let bar = document.getElementById('city-changed');
  if (!bar) {
    bar = document.createElement('div');
    bar.id = 'city-changed';
    bar.className = 'city-changed';
    bar.setAttribute('role', 'status');
    document.body.append(bar);
  }
  bar.replaceChildren();
  const text = document.createElement('span');
  text.textContent = `${t('城市数据已更新', 'City data updated')}：${msg.name}（${t('版本', 'version')} ${msg.versionId}）`;
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.id = 'city-changed-reload';
  reload.textContent = t('重新加载', 'Reload');
  reload.addEventListener('click', () => location.reload());
  bar.append(text, reload);
  return bar;
}
