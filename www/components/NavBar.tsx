'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/signup', label: 'Sign up' },
  { href: '/subscribe', label: 'Subscribe' },
  { href: '/tools/new', label: 'Publish a tool' },
  { href: '/browse', label: 'Browse' },
];

export function NavBar() {
  const pathname = usePathname();
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        OneLast<span>AI</span>
      </Link>
      <nav>
        {LINKS.map((l) => (
          <Link key={l.href} href={l.href} aria-current={pathname === l.href ? 'page' : undefined}>
            {l.label}
          </Link>
        ))}
      </nav>
    </header>
  );
}
