import type uPlot from 'uplot';

/** How a chart is drawn: on the review's dark panel, or on white paper (the exported report, drawn at `scale`). */
export interface Ink {
  axis: string;
  grid: string;
  font: string;
  /** Multiplies line widths and type (the report draws its charts at twice the size, then scales them into place). */
  scale: number;
}

export function ink(on: 'panel' | 'paper', scale = 1): Ink {
  const font = `${Math.round(12 * scale)}px "Noto Sans SC", sans-serif`;
  return on === 'panel'
    ? { axis: '#9fb3d4', grid: 'rgba(63, 100, 160, 0.35)', font, scale }
    : { axis: '#33415c', grid: 'rgba(60, 80, 120, 0.2)', font, scale };
}

/** An axis in the chart's ink; `values` formats its ticks (uPlot's own would print English month names). */
export function axis(k: Ink, values?: uPlot.Axis['values']): uPlot.Axis {
  return {
    stroke: k.axis,
    grid: { stroke: k.grid, width: 1 },
    ticks: { stroke: k.grid, width: 1 },
    font: k.font,
    labelFont: k.font,
    size: 40 * k.scale,
    ...(values ? { values } : {}),
  };
}
