// A line chart over ordered categories (time buckets): one polyline per
// series, broken where a value is missing (null).
import { ChartFrame, type ChartProps } from './ChartFrame';
import { Gridlines } from './Gridlines';
import { axis, compact, labelIndices, legendOf, type Series } from './scale';
import styles from './charts.module.css';

export interface LineChartProps extends ChartProps {
  labels: string[];
  series: Series[];
  /** A fixed top of the value axis (1 for rates); otherwise a nice one above the data. */
  max?: number;
}

const W = 640;
const H = 240;
const M = { top: 12, right: 16, bottom: 28, left: 48 };

export function LineChart({ id, title, description, labels, series, table, max, format = compact, emptyText }: LineChartProps) {
  const values = series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const empty = values.length === 0 || (max === undefined && values.every((v) => v === 0));
  const { top, ticks } = axis(max ?? Math.max(0, ...values), max === undefined && values.every(Number.isInteger));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const n = labels.length;
  const x = (i: number) => M.left + (n <= 1 ? plotW / 2 : (plotW * i) / (n - 1));
  const y = (v: number) => M.top + plotH - (plotH * v) / top;
  const legend = legendOf(series);
  const summary = series
    .map((s) => `${s.name}: ${s.values.filter((v) => v !== null).length} points, last ${s.values.at(-1) === null || s.values.at(-1) === undefined ? 'none' : format(s.values.at(-1) as number)}`)
    .join('; ');
  return (
    <ChartFrame id={id} title={title} description={description} empty={empty} emptyText={emptyText} legend={legend} table={table}>
      <svg className={styles.svg} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}. ${summary}. The data table below lists every value.`}>
        <Gridlines ticks={ticks} y={y} left={M.left} right={W - M.right} format={format} />
        <line className={styles.axis} x1={M.left} x2={W - M.right} y1={y(0)} y2={y(0)} />
        {labelIndices(n, 8).map((i) => (
          <text key={i} x={x(i)} y={H - 8} textAnchor="middle">
            {labels[i]}
          </text>
        ))}
        {series.map((s, k) => {
          const color = legend[k]?.color ?? '#4f46e5';
          // Runs of consecutive known values, each its own polyline.
          const runs: [number, number][][] = [];
          let run: [number, number][] = [];
          s.values.forEach((v, i) => {
            if (v === null) {
              if (run.length) runs.push(run);
              run = [];
            } else {
              run.push([x(i), y(v)]);
            }
          });
          if (run.length) runs.push(run);
          return (
            <g key={s.name} data-series={s.name}>
              {runs.map((r, j) => (
                <polyline key={j} fill="none" stroke={color} strokeWidth={2} points={r.map(([a, b]) => `${a},${b}`).join(' ')} />
              ))}
              {n <= 40
                ? s.values.map((v, i) => (v === null ? null : <circle key={i} cx={x(i)} cy={y(v)} r={2.5} fill={color} />))
                : null}
            </g>
          );
        })}
      </svg>
    </ChartFrame>
  );
}
