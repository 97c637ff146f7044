// Server-side only: the subscription plans on sale (a public read: no session).
import { listDocuments, type ClientInfo, type Doc } from './server';

/**
 * A plan's billing period (`subscriptionplans.period`). Which periods a
 * subscription may have (`subscriptions.plan`) is the package's to say: the
 * form offers the plans whose period it accepts.
 */
export type Period = string;

/** A plan as the forms and the marketplace show it. */
export interface PlanOffer {
  period: Period;
  name: string;
  price: number;
  priceFormatted: string;
  description: string;
  features: string[];
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

function toOffer(d: Doc): PlanOffer | null {
  const period = text(d.period);
  if (!period || typeof d.price !== 'number') return null;
  return {
    period,
    name: text(d.displayName) || text(d.name) || period,
    price: d.price,
    priceFormatted: text(d.priceFormatted) || `$${d.price.toFixed(2)}`,
    description: text(d.description),
    features: Array.isArray(d.features) ? d.features.filter((f): f is string => typeof f === 'string') : [],
  };
}

/**
 * The active plans, one per period (the first stored, as the server prices a
 * subscription by the active plan of its period), cheapest first.
 */
export async function listPlans(client?: ClientInfo): Promise<{ plans: PlanOffer[]; error?: string }> {
  const res = await listDocuments('subscription-plans', { client, query: { isActive: 'true', sort: '_id' }, limit: 100 });
  const plans: PlanOffer[] = [];
  for (const d of res.items) {
    const offer = toOffer(d);
    if (offer && !plans.some((p) => p.period === offer.period)) plans.push(offer);
  }
  plans.sort((a, b) => a.price - b.price);
  return { plans, ...(res.error ? { error: res.error } : {}) };
}
