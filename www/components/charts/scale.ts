// Axis arithmetic shared by the charts: a "nice" top for the value axis and
// its ticks, and which category labels fit under a chart.

/** A value axis from 0: its top and its ticks, at most `count` steps of 1, 2 or 5 x 10^k. */
export interface Axis {
  top: number;
  ticks: number[];
}

/**
 * The axis for values up to `max`. With `integer` (counts) a step is never
 * below 1, so no tick reads 1.25 users; a `max` of 0 or less gives 0..1.
 */
export function axis(max: number, integer = true, count = 4): Axis {
  const raw = max > 0 ? max / count : 1 / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiples = integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  let step = multiples.map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  if (integer) step = Math.max(1, Math.round(step));
  const top = Math.max(step, Math.ceil((max > 0 ? max : 1) / step) * step);
  const ticks: number[] = [];
  for (let t = 0; t <= top + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { top, ticks };
}

/** The indices of the labels to print so that at most `room` show, evenly spaced, last included. */
export function labelIndices(n: number, room: number): number[] {
  if (n <= room) return Array.from({ length: n }, (_, i) => i);
  const step = Math.ceil(n / room);
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i -= step) out.unshift(i);
  return out;
}

/** A number for an axis: 1.2k, 3.5M, 0.25. */
export function compact(v: number): string {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 }).format(v);
}

/** Series colours: distinguishable, and at least 3:1 against white. */
export const PALETTE = ['#4f46e5', '#0f766e', '#c2410c', '#be185d', '#4d7c0f', '#1d4ed8'];

/** One named row of values over the chart's categories; `null` where unknown. */
export interface Series {
  name: string;
  values: (number | null)[];
}

/** Each series' name and colour, in order (the palette repeats past its end). */
export function legendOf(series: readonly Series[]): { name: string; color: string }[] {
  return series.map((s, i) => ({ name: s.name, color: PALETTE[i % PALETTE.length] ?? '#4f46e5' }));
}
