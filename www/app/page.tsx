import Link from 'next/link';

export default function Home() {
  return (
    <>
      <h1>One data model, checked everywhere</h1>
      <p className="lead">
        Every form here is checked in your browser by the same Rust rules the server applies, compiled to
        WebAssembly: mistakes show up as you type, before anything is sent, and the server gives the same verdict.
      </p>
      <div className="tiles">
        <Link href="/browse" className="card tile">
          <h2>Browse the marketplace</h2>
          <p>Published tools and the plans on sale; no account needed.</p>
        </Link>
        <Link href="/signup" className="card tile">
          <h2>Sign up</h2>
          <p>Create an account; email and password rules are checked as you type.</p>
        </Link>
        <Link href="/subscribe" className="card tile">
          <h2>Subscribe to an agent</h2>
          <p>Pick an agent and a plan, and see when your subscription ends.</p>
        </Link>
        <Link href="/tools/new" className="card tile">
          <h2>Publish a tool</h2>
          <p>List a tool in the marketplace, as you, with its versions and inputs.</p>
        </Link>
      </div>
    </>
  );
}
