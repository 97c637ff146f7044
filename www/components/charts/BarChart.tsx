// A vertical bar chart: one group of bars per category, one bar per series.
import { ChartFrame, type ChartProps } from './ChartFrame';
import { Gridlines } from './Gridlines';
import { axis, compact, labelIndices, legendOf, type Series } from './scale';
import styles from './charts.module.css';

export interface BarChartProps extends ChartProps {
  labels: string[];
  series: Series[];
  /** Whole numbers (counts): no tick between integers. */
  integer?: boolean;
}

const W = 640;
const H = 240;
const M = { top: 16, right: 16, bottom: 28, left: 48 };

export function BarChart({ id, title, description, labels, series, table, format = compact, emptyText, integer = true }: BarChartProps) {
  const values = series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const empty = values.length === 0 || values.every((v) => v === 0);
  const { top, ticks } = axis(Math.max(0, ...values), integer);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const n = Math.max(1, labels.length);
  const band = plotW / n;
  const barW = (band * 0.76) / Math.max(1, series.length);
  const y = (v: number) => M.top + plotH - (plotH * v) / top;
  const legend = legendOf(series);
  const showValues = labels.length * series.length <= 16;
  return (
    <ChartFrame id={id} title={title} description={description} empty={empty} emptyText={emptyText} legend={legend} table={table}>
      <svg className={styles.svg} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}: ${labels.length} groups of ${series.map((s) => s.name).join(', ')}. The data table below lists every value.`}>
        <Gridlines ticks={ticks} y={y} left={M.left} right={W - M.right} format={format} />
        {series.map((s, k) =>
          s.values.map((v, i) => {
            if (v === null || v <= 0) return null;
            const bx = M.left + band * i + band * 0.12 + barW * k;
            return (
              <g key={`${k}-${i}`}>
                <rect x={bx} y={y(v)} width={Math.max(1, barW - 1)} height={y(0) - y(v)} fill={legend[k]?.color} rx={2} />
                {showValues ? (
                  <text className={styles.value} x={bx + barW / 2} y={y(v) - 4} textAnchor="middle">
                    {format(v)}
                  </text>
                ) : null}
              </g>
            );
          }),
        )}
        <line className={styles.axis} x1={M.left} x2={W - M.right} y1={y(0)} y2={y(0)} />
        {labelIndices(labels.length, 10).map((i) => (
          <text key={i} x={M.left + band * i + band / 2} y={H - 8} textAnchor="middle">
            {labels[i]}
          </text>
        ))}
      </svg>
    </ChartFrame>
  );
}
