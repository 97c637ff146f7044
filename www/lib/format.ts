// Display formats shared by server and client components.

/** A date as people read it, in UTC: `Tue, 11 Jun 2024 09:30:00 UTC`. */
export function formatUtc(d: Date): string {
  return d.toUTCString().replace('GMT', 'UTC');
}
