'use client';

// What a page shows when rendering it failed (most often: the data service
// could not be reached to check the session).
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <>
      <h1>Something went wrong</h1>
      <div className="banner error" role="alert">
        This page could not be shown: the data service may be unavailable. Try again in a moment.
      </div>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </>
  );
}
