// Shown while the statistics load (the page renders on the server).
export default function Loading() {
  return (
    <>
      <h1>Insights</h1>
      <p className="lead" role="status" aria-live="polite" data-testid="insights-loading">
        Loading the statistics…
      </p>
    </>
  );
}
