// The statistics endpoints (`/api/stats/...`) as the Insights page reads
// them: their answer types, the range picker's windows, and one fetch for
// all of them with the administrator's own session.
import { callApi, messageOf, type ClientInfo } from '@/lib/server';

/** The ranges the picker offers, in days. */
export const RANGES = [7, 30, 90] as const;
export type RangeDays = (typeof RANGES)[number];

const DAY = 86_400_000;

/** `?range=` as one of [`RANGES`]; 30 otherwise. */
export function rangeOf(given: unknown): RangeDays {
  const n = Number(given);
  return (RANGES as readonly number[]).includes(n) ? (n as RangeDays) : 30;
}

/** The window of a range: the last `days` UTC days, today included (`to` is tomorrow 00:00 UTC). */
export function windowOf(days: RangeDays, now = Date.now()) {
  const tomorrow = Math.floor(now / DAY) * DAY + DAY;
  return {
    from: new Date(tomorrow - days * DAY).toISOString(),
    to: new Date(tomorrow).toISOString(),
    interval: days > 30 ? ('week' as const) : ('day' as const),
  };
}

export interface Summary {
  mean: number | null;
  p50: number | null;
  p90: number | null;
}
export interface Bin {
  min: number;
  max: number | null;
  users: number;
}
export interface Activity {
  interval: string;
  buckets: { start: string; activeUsers: number; signUps: number; sessions: number }[];
}
export interface Geography {
  countries: { country: string | null; users: number; sessions: number }[];
}
export interface Engagement {
  users: number;
  chatSessionsPerUser: Summary;
  messagesPerUser: Summary;
  toolRunsPerUser: Summary;
  distribution: { chatSessions: Bin[]; messages: Bin[]; toolRuns: Bin[] };
  top: { userId: string; chatSessions: number; messages: number; toolRuns: number }[];
}
export interface Attempts {
  succeeded: number;
  failed: number;
  locked: number;
  successRate: number | null;
}
export interface Auth {
  interval: string;
  total: Attempts;
  buckets: (Attempts & { start: string })[];
}
export interface Tools {
  tools: {
    tool: string | null;
    runs: number;
    succeeded: number;
    successRate: number | null;
    avgExecutionTimeMs: number | null;
    reviews: number;
    avgRating: number | null;
  }[];
}
export interface Revenue {
  interval: string;
  buckets: {
    start: string;
    currencies: {
      currency: string | null;
      paid: number;
      payments: number;
      failed: number;
      pending: number;
      invoices: Record<string, number>;
    }[];
  }[];
}

/** An endpoint's answer, or why there is none. */
export type Loaded<T> = { ok: true; data: T } | { ok: false; error: string };

async function load<T>(path: string, session: string, client: ClientInfo): Promise<Loaded<T>> {
  const res = await callApi(path, { session, client });
  return res.status === 200 ? { ok: true, data: res.body as T } : { ok: false, error: messageOf(res) };
}

/** Every statistic the page shows, fetched together. */
export async function loadInsights(days: RangeDays, session: string, client: ClientInfo) {
  const w = windowOf(days);
  const q = `from=${encodeURIComponent(w.from)}&to=${encodeURIComponent(w.to)}`;
  const [activity, auth, geography, engagement, tools, revenue] = await Promise.all([
    load<Activity>(`/api/stats/users/activity?${q}&interval=${w.interval}`, session, client),
    load<Auth>(`/api/stats/auth?${q}&interval=${w.interval}`, session, client),
    load<Geography>(`/api/stats/users/geography?${q}`, session, client),
    load<Engagement>(`/api/stats/users/engagement?${q}`, session, client),
    load<Tools>(`/api/stats/tools?${q}`, session, client),
    load<Revenue>(`/api/stats/revenue?${q}&interval=month`, session, client),
  ]);
  return { window: w, activity, auth, geography, engagement, tools, revenue };
}
