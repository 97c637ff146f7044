'use client';

import { useEffect, useRef } from 'react';

/**
 * After a failed submit: how many fields need fixing and a link to each (in
 * the order of the form). It takes the focus on each submit (`attempt`, the
 * number of tries so far), so keyboard and screen-reader users land on it,
 * and only then: never while the person types. `errors` is exactly what the
 * fields show, so the count and the marked fields agree; it shrinks as they
 * are fixed.
 */
export function ErrorSummary({ errors, order, attempt }: { errors: Record<string, string>; order?: readonly string[]; attempt: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const paths = Object.keys(errors);
  if (order) paths.sort((a, b) => rank(order, a) - rank(order, b));
  const visible = attempt > 0 && paths.length > 0;
  useEffect(() => {
    if (attempt > 0) ref.current?.focus();
  }, [attempt]);
  if (!visible) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} data-testid="error-summary" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">
        {paths.length === 1 ? 'There is a problem with 1 field' : `There are problems with ${paths.length} fields`}
      </h2>
      <ul>
        {paths.map((p) => (
          <li key={p}>
            <a
              href={`#${p}`}
              onClick={(e) => {
                // Ids hold dots (`metadata.name`): focus by id rather than by CSS selector.
                const target = document.getElementById(p);
                if (target) {
                  e.preventDefault();
                  target.focus();
                  target.scrollIntoView({ block: 'center' });
                }
              }}
            >
              {errors[p]}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A path's position in the form (unknown paths last, nested paths after their parent's). */
function rank(order: readonly string[], path: string): number {
  const i = order.findIndex((o) => path === o || path.startsWith(`${o}.`));
  return i === -1 ? order.length : i;
}
