// The value axis of the vertical charts: a gridline and a label per tick.
import styles from './charts.module.css';

export function Gridlines({ ticks, y, left, right, format }: { ticks: number[]; y: (v: number) => number; left: number; right: number; format: (v: number) => string }) {
  return (
    <>
      {ticks.map((t) => (
        <g key={t}>
          <line className={styles.grid} x1={left} x2={right} y1={y(t)} y2={y(t)} />
          <text x={left - 6} y={y(t) + 4} textAnchor="end">
            {format(t)}
          </text>
        </g>
      ))}
    </>
  );
}
