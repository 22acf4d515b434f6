import { frameFor, type LngLat, VIEW } from './grid-frame.js';

const NS = 'http://www.w3.org/2000/svg';
const svgEl = (tag: string, attrs: Record<string, string | number>) => {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
};

/**
 * A small map of one grid: its outline and, when given, the point (the task's
 * place, or the matter's position), a few hundred bytes of SVG instead of a
 * map library and its tiles. `onTap` makes it a picker: it gets the position
 * under the finger.
 */
export function gridSvg(
  ring: readonly (readonly [number, number])[],
  point: LngLat | null,
  label: string,
  onTap?: (p: LngLat) => void,
): SVGSVGElement & { setPoint(p: LngLat | null, kind?: 'gps' | 'pin'): void } {
  const f = frameFor(ring);
  const svg = svgEl('svg', {
    viewBox: `0 0 ${VIEW.width} ${VIEW.height}`,
    class: onTap ? 'grid-map picker' : 'grid-map',
    role: 'img',
    'aria-label': label,
  }) as SVGSVGElement;
  svg.append(svgEl('polygon', { points: ring.map((p) => f.toXY({ lng: p[0], lat: p[1] }).join(',')).join(' ') }));
  const dot = svgEl('circle', { r: 7, class: 'point' });
  const setPoint = (p: LngLat | null, kind: 'gps' | 'pin' = 'gps') => {
    if (!p) return dot.remove();
    const [x, y] = f.toXY(p);
    dot.setAttribute('cx', x.toFixed(1));
    dot.setAttribute('cy', y.toFixed(1));
    dot.setAttribute('class', `point ${kind}`);
    svg.append(dot);
  };
  setPoint(point);
  if (onTap)
    svg.addEventListener('click', (e: MouseEvent) => {
      const r = svg.getBoundingClientRect();
      onTap(f.toLngLat(((e.clientX - r.left) * VIEW.width) / r.width, ((e.clientY - r.top) * VIEW.height) / r.height));
    });
  return Object.assign(svg, { setPoint });
}
