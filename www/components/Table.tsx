// A card with a title, a count and a table of documents (server components).
import type { ReactNode } from 'react';
import { formatUtc } from '@/lib/format';
import type { Doc, ListResult } from '@/lib/server';

/** A value as text; `—` when absent. */
export const str = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));

/** An ISO date as people read it; `—` when absent. */
export const date = (v: unknown) => (typeof v === 'string' ? formatUtc(new Date(v)) : '—');

/** The value at a dotted path (`metadata.author.name`). */
export const get = (d: Doc, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Doc)[k] : undefined), d);

/** A table column: its heading and what a document shows in it. */
export type Column = [head: string, cell: (d: Doc) => ReactNode];

export function Table(props: { title: string; testid: string; result: ListResult; columns: Column[]; empty: string; children?: ReactNode }) {
  const { title, testid, result, columns, empty, children } = props;
  const { items, error } = result;
  return (
    <section className="card" data-testid={testid}>
      <h2>
        {title} <span className="pill">{items.length}</span>
      </h2>
      {error ? <div className="banner error">Could not load: {error}</div> : null}
      {items.length === 0 && !error ? (
        <p className="empty">{empty}</p>
      ) : (
        <div className="table-wrap">
        <table className="stack">
          <thead>
            <tr>
              {columns.map(([head]) => (
                <th key={head}>{head}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={str(d._id)}>
                {columns.map(([head, cell]) => (
                  <td key={head} data-label={head}>
                    {cell(d)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {children}
    </section>
  );
}
