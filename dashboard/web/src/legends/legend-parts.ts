/** The pieces every legend is made of: a titled box, colour swatches, a colour ramp with its ends named. */

type RGB = readonly [number, number, number] | readonly [number, number, number, number];

export const css = (c: RGB) =>
  c.length === 4 ? `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${c[3] / 255})` : `rgb(${c.join(', ')})`;

/** One layer's legend: `data-legend` names the layer, each entry carries `data-entry` (tests read them). */
export function legendBox(layer: string, title: string, ...parts: HTMLElement[]): HTMLElement {
  const box = document.createElement('section');
  box.className = 'legend';
  box.dataset.legend = layer;
  const h = document.createElement('h3');
  h.textContent = title;
  box.append(h, ...parts);
  return box;
}

/** A colour and what it means; `shape` dot for map symbols, square for areas, ring for outlines, line for tracks. */
export function swatch(
  entry: string,
  colour: RGB,
  label: string,
  shape: 'dot' | 'square' | 'ring' | 'line' = 'dot',
): HTMLElement {
  const row = document.createElement('div');
  row.className = 'legend-row';
  row.dataset.entry = entry;
  const mark = document.createElement('span');
  mark.className = `legend-mark ${shape}`;
  if (shape === 'ring') mark.style.borderColor = css(colour);
  else mark.style.background = css(colour);
  const text = document.createElement('span');
  text.textContent = label;
  row.append(mark, text);
  return row;
}

/** A continuous scale: the colours left to right, its low and high end named beneath. */
export function ramp(entry: string, colours: readonly RGB[], low: string, high: string): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'legend-ramp';
  wrap.dataset.entry = entry;
  const bar = document.createElement('div');
  bar.className = 'legend-bar';
  bar.style.background = `linear-gradient(90deg, ${colours.map(css).join(', ')})`;
  const ends = document.createElement('div');
  ends.className = 'legend-ends';
  const lo = document.createElement('span');
  lo.textContent = low;
  const hi = document.createElement('span');
  hi.textContent = high;
  ends.append(lo, hi);
  wrap.append(bar, ends);
  return wrap;
}

/** A line of explanation under the swatches. */
export function note(text: string): HTMLElement {
  const p = document.createElement('p');
  p.className = 'legend-note';
  p.textContent = text;
  return p;
}
