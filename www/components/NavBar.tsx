'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';
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
  // Narrow screens: the links fold into a menu behind a button.
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [pathname]);
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
      <button
        type="button"
        className="menu-button secondary"
        aria-expanded={open}
        aria-controls="site-menu"
        onClick={() => setOpen((o) => !o)}
        data-testid="menu-button"
      >
        <span aria-hidden="true" className="menu-icon" />
        Menu
      </button>
      <div className={`menu${open ? ' open' : ''}`} id="site-menu">
      <nav aria-label="Main">
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
      </div>
    </header>
  );
}
