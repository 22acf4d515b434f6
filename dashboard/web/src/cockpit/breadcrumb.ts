import type { AreaTree } from '../area-tree.js';
import type { CockpitStore } from './cockpit-store.js';

/**
 * The area breadcrumb (city › district › … › grid): every reachable level
 * above the current one is a button that selects it. Redrawn when the area
 * changes; render() draws it the first time.
 */
export function mountBreadcrumb(nav: HTMLElement, tree: AreaTree, store: CockpitStore, select: (code: string) => void) {
  const render = () =>
    nav.replaceChildren(
      ...tree.chain(store.view.area!).flatMap((code, i, all) => {
        const el = document.createElement(tree.reachable(code) && i < all.length - 1 ? 'button' : 'span');
        el.className = 'crumb';
        el.dataset.area = code;
        el.textContent = tree.name(code);
        if (el instanceof HTMLButtonElement) {
          el.type = 'button';
          el.addEventListener('click', () => select(code));
        }
        if (i === all.length - 1) el.setAttribute('aria-current', 'location');
        const sep = document.createElement('span');
        sep.className = 'sep';
        sep.textContent = '›';
        return i ? [sep, el] : [el];
      }),
    );
  store.subscribe(['area'], render);
  return { render };
}
