const SVG = 'http://www.w3.org/2000/svg';

/**
 * A grid's period in one glance: its counts per bucket as a small line, the
 * last value dotted. SVG, so it stays sharp in the printed report.
 */
export function sparkline(values: readonly number[], width = 90, height = 22, colour = '#3fb6ff'): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.dataset.values = values.join(',');
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? (width - 4) / (values.length - 1) : 0;
  const pts = values.map((v, i) => [2 + i * step, height - 2 - (v / max) * (height - 4)] as const);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', colour);
  line.setAttribute('stroke-width', '1.5');
  svg.append(line);
  const last = pts[pts.length - 1];
  if (last) {
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', String(last[0]));
    dot.setAttribute('cy', String(last[1]));
    dot.setAttribute('r', '2');
    dot.setAttribute('fill', colour);
    svg.append(dot);
  }
  return svg;
}
