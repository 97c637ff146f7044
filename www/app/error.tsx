'use client';

import Link from 'next/link';

// What a page shows when rendering it failed (most often: the data service
// could not be reached to check the session).
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="card not-found" data-testid="error-page">
      <p className="code" aria-hidden="true">
        !
      </p>
      <h1>Something went wrong</h1>
      <div className="banner error" role="alert">
        This page could not be shown: the data service may be unavailable. Try again in a moment.
      </div>
      <div className="actions">
        <button type="button" onClick={reset}>
          Try again
        </button>
        <Link href="/">Home</Link>
      </div>
      {error.digest ? <p className="hint">Reference for support: {error.digest}</p> : null}
    </section>
  );
}
