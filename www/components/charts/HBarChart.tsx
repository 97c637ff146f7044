// A ranked horizontal bar chart: one labelled bar per row, largest first.
import { ChartFrame, type ChartProps } from './ChartFrame';
import { PALETTE, axis, compact } from './scale';
import styles from './charts.module.css';

export interface HBarChartProps extends ChartProps {
  rows: { label: string; value: number }[];
}

const W = 640;
const ROW = 26;
const LABEL = 150;
const RIGHT = 56;

export function HBarChart({ id, title, description, rows, table, format = compact, emptyText }: HBarChartProps) {
  const empty = rows.length === 0 || rows.every((r) => r.value <= 0);
  const { top } = axis(Math.max(0, ...rows.map((r) => r.value)));
  const H = rows.length * ROW + 8;
  const plotW = W - LABEL - RIGHT;
  const color = PALETTE[0];
  const clip = (s: string) => (s.length > 22 ? `${s.slice(0, 21)}…` : s);
  return (
    <ChartFrame id={id} title={title} description={description} empty={empty} emptyText={emptyText} table={table}>
      <svg
        className={styles.svg}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${title}: ${rows.map((r) => `${r.label} ${format(r.value)}`).join(', ')}`}
      >
        {rows.map((r, i) => {
          const w = (plotW * Math.max(0, r.value)) / top;
          const yy = 4 + i * ROW;
          return (
            <g key={`${r.label}-${i}`}>
              <text x={LABEL - 8} y={yy + ROW / 2} dominantBaseline="middle" textAnchor="end">
                {clip(r.label)}
              </text>
              <rect x={LABEL} y={yy + 4} width={Math.max(r.value > 0 ? 2 : 0, w)} height={ROW - 8} rx={3} fill={color} />
              <text className={styles.value} x={LABEL + w + 6} y={yy + ROW / 2} dominantBaseline="middle">
                {format(r.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </ChartFrame>
  );
}
