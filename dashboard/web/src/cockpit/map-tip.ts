/**
 * A small label beside the pointer over the map (the grid's check-in coverage
 * while the patrol layer is on). Ours rather than deck.gl's tooltip: it takes
 * the cockpit's font and theme, and tests read it as `#map-tip`.
 */
export function mountMapTip(host: HTMLElement): { show: (x: number, y: number, lines: string[] | null) => void } {
  const tip = document.createElement('div');
  tip.id = 'map-tip';
  tip.className = 'map-tip';
  tip.hidden = true;
  host.append(tip);
  return {
    show(x, y, lines) {
      tip.hidden = !lines?.length;
      if (!lines?.length) return;
      tip.replaceChildren(
        ...lines.map((l) => {
          const div = document.createElement('div');
          div.textContent = l;
          return div;
        }),
      );
      // Below-right of the pointer, clear of the cursor itself.
      tip.style.transform = `translate(${Math.round(x + 14)}px, ${Math.round(y + 14)}px)`;
    },
  };
}
