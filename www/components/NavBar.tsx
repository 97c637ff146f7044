'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { sendForm } from '@/lib/submit';

/** The signed-in person as the navigation bar shows them. */
export interface NavUser {
  name: string;
  admin: boolean;
}

const LINKS = [
  { href: '/browse', label: 'Browse' },
  { href: '/subscribe', label: 'Subscribe' },
  { href: '/tools/new', label: 'Publish a tool' },
];

export function NavBar({ user }: { user: NavUser | null }) {
  const pathname = usePathname();
  const [busy, setBusy] = useState(false);
  const link = (href: string, label: string) => (
    <Link key={href} href={href} aria-current={pathname === href ? 'page' : undefined}>
      {label}
    </Link>
  );

  async function signOut() {
    setBusy(true);
    await sendForm('/api/auth/sign-out', {});
    // A full load: every server component renders again without the session.
    window.location.assign('/');
  }

  return (
    <header className="topbar">
      <Link href="/" className="brand">
        OneLast<span>AI</span>
      </Link>
      <nav>
        {LINKS.map((l) => link(l.href, l.label))}
        {user ? link('/account', 'Account') : null}
        {user?.admin ? link('/admin', 'Admin') : null}
      </nav>
      <div className="session" data-testid="session">
        {user ? (
          <>
            <span className="who" data-testid="signed-in-as">
              {user.name}
            </span>
            <button type="button" className="secondary" onClick={signOut} disabled={busy} data-testid="sign-out">
              {busy ? 'Signing out…' : 'Sign out'}
            </button>
          </>
        ) : (
          <>
            {link('/signin', 'Sign in')}
            <Link href="/signup" className="button" aria-current={pathname === '/signup' ? 'page' : undefined}>
              Sign up
            </Link>
          </>
        )}
      </div>
    </header>
  );
}
