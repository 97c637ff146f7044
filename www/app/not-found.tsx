import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found · OneLastAI' };

// Any URL the app has no page for.
export default function NotFound() {
  return (
    <section className="card not-found" data-testid="not-found">
      <p className="code" aria-hidden="true">
        404
      </p>
      <h1>This page does not exist</h1>
      <p className="lead">The address may be mistyped, or the page may have moved. These are the places to go from here:</p>
      <div className="actions">
        <Link href="/" className="button">
          Home
        </Link>
        <Link href="/browse">Browse the marketplace</Link>
        <Link href="/account">Your account</Link>
      </div>
    </section>
  );
}
