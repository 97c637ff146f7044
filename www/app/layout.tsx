import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { NavBar, type NavUser } from '@/components/NavBar';
import { currentSession } from '@/lib/session';
import './globals.css';

export const metadata: Metadata = {
  title: 'OneLastAI',
  description: 'AI agents, subscriptions and a tool marketplace',
};

/** Who the navigation bar greets; nobody when the server cannot say. */
async function navUser(): Promise<NavUser | null> {
  try {
    const session = await currentSession();
    if (!session) return null;
    const { name, email, role } = session.user;
    return { name: (typeof name === 'string' && name.trim()) || email, admin: role === 'admin' };
  } catch {
    return null;
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <NavBar user={await navUser()} />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
