// The frame every chart shares: a titled <figure>, the SVG (or an empty
// state), a legend, and the same numbers as a table for people who do not
// see the chart (screen readers, copy and paste, tests).
import type { ReactNode } from 'react';
import styles from './charts.module.css';

/** A table alternative: column headings and rows of cells. */
export interface DataTable {
  columns: string[];
  rows: (string | number)[][];
}

/** What every chart is given besides its data. */
export interface ChartProps {
  /** Used for ids and `data-testid` (`chart-<id>`, `table-<id>`). */
  id: string;
  title: string;
  description?: string;
  table: DataTable;
  /** How a value reads on the axis and the bars (`compact` unless given). */
  format?: (v: number) => string;
  emptyText?: string;
}

export interface FrameProps extends Omit<ChartProps, 'format'> {
  /** Nothing to draw: the empty message is shown instead of the chart. */
  empty: boolean;
  legend?: { name: string; color: string }[];
  children: ReactNode;
}

export function ChartFrame({ id, title, description, empty, emptyText, legend, table, children }: FrameProps) {
  const titleId = `${id}-title`;
  return (
    <figure className={styles.figure} aria-labelledby={titleId} data-testid={`chart-${id}`}>
      <figcaption id={titleId}>{title}</figcaption>
      {description ? <p className={styles.description}>{description}</p> : null}
      {empty ? (
        <p className={styles.empty} data-testid={`empty-${id}`}>
          {emptyText ?? 'No data in this range.'}
        </p>
      ) : (
        <>
          {children}
          {legend && legend.length > 1 ? (
            <ul className={styles.legend} aria-hidden="true">
              {legend.map((l) => (
                <li key={l.name}>
                  <span className={styles.swatch} style={{ background: l.color }} />
                  {l.name}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
      <details className={styles.details}>
        <summary>{title}: data table</summary>
        {/* Focusable so a keyboard can scroll a table wider than the window. */}
        <div className="table-wrap" tabIndex={0} role="region" aria-label={`${title}: data table`}>
          <table data-testid={`table-${id}`}>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((cell, j) =>
                    j === 0 ? (
                      <th key={j} scope="row">
                        {cell}
                      </th>
                    ) : (
                      <td key={j}>{cell}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
