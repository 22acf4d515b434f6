import { t } from '../i18n.js';
import { THEMES, type Theme } from './basemap-style.js';

const THEME_LABEL: Record<Theme, string> = { dark: t('深色', 'dark'), light: t('浅色', 'light') };

const KEY = 'linli.theme';

/** The theme last chosen on this screen (dark by default: the command-center look). */
export function savedTheme(): Theme {
  const t = localStorage.getItem(KEY);
  return t === 'light' ? 'light' : 'dark';
}

/** A two-button switch 深色 / 浅色 in the top bar; calls `onChange` with the chosen theme and remembers it. */
export function mountStyleToggle(host: HTMLElement, initial: Theme, onChange: (t: Theme) => void): void {
  const group = document.createElement('div');
  group.className = 'theme-toggle';
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', t('底图样式', 'Basemap style'));
  const buttons = THEMES.map((t) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = THEME_LABEL[t];
    b.dataset.theme = t;
    b.setAttribute('aria-pressed', String(t === initial));
    b.addEventListener('click', () => {
      for (const other of buttons) other.setAttribute('aria-pressed', String(other === b));
      localStorage.setItem(KEY, t);
      onChange(t);
    });
    group.append(b);
    return b;
  });
  host.append(group);
}
