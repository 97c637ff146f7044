'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { ErrorSummary } from '@/components/ErrorSummary';
import { Banner, Loading, RequiredNote, SelectField, type BannerState } from '@/components/Field';
import { fieldMeta } from '@/lib/fields';
import { formatUtc } from '@/lib/format';
import { onlyPaths, toErrorMap, type ErrorMap, type Labels } from '@/lib/forms';
import { useModels } from '@/lib/models';
import type { Period, PlanOffer } from '@/lib/plans';
import { submitValidated } from '@/lib/submit';
import type { Plan } from '@onelastai/models';

const AGENTS = [
  { id: 'einstein', name: 'Albert Einstein' },
  { id: 'curie', name: 'Marie Curie' },
  { id: 'tesla', name: 'Nikola Tesla' },
  { id: 'shakespeare', name: 'William Shakespeare' },
  { id: 'lovelace', name: 'Ada Lovelace' },
];

const AGENT_OPTIONS = AGENTS.map((a) => ({ value: a.id, label: a.name }));
const LABELS: Record<string, string> = { agentId: 'Agent', plan: 'Plan' };
const labelOf = (path: string) => LABELS[path] ?? path;
/** How this form's messages name its fields. */
const MESSAGES: Labels = { label: labelOf, collection: 'subscriptions' };

/** The signed-in person, who the subscription is for. */
export interface Subscriber {
  id: string;
  name: string;
}

export function SubscribeForm({ subscriber, plans: offered, loadError }: { subscriber: Subscriber; plans: PlanOffer[]; loadError?: string | undefined }) {
  const models = useModels();
  // The plans on sale whose period a subscription may have (the package's `subscriptions.plan` values).
  const periods = models ? fieldMeta(models, 'subscriptions', 'plan').values : undefined;
  const plans = periods ? offered.filter((p) => periods.includes(p.period)) : offered;
  const [agentId, setAgentId] = useState(AGENTS[0]?.id ?? '');
  const [chosen, setPlan] = useState<Period | ''>('');
  // Until one is chosen: the most expensive period on sale (plans come cheapest first).
  const plan = chosen || (plans[plans.length - 1]?.period ?? '');
  const [errors, setErrors] = useState<ErrorMap>({});
  // How many times the person tried to submit: the summary appears (and takes the focus) on each try.
  const [submitted, setSubmitted] = useState(0);
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);
  const [startDate] = useState(() => new Date());

  const offer = plans.find((p) => p.period === plan);
  const expiry = useMemo(() => {
    if (!models || !plan) return null;
    try {
      return new Date(models.calculateExpiryDate(plan as Plan, startDate));
    } catch {
      return null; // a period the package does not know
    }
  }, [models, plan, startDate]);
  // The whole subscription as the server will store it, for the browser's
  // verdict; only the agent and the plan are sent (the server sets the rest).
  const doc = useMemo(
    () => ({ userId: subscriber.id, agentId, plan, price: offer?.price, startDate: startDate.toISOString(), expiryDate: expiry?.toISOString() }),
    [subscriber.id, agentId, plan, offer, startDate, expiry],
  );
  const verdict = useMemo(() => (models ? models.validate('subscriptions', doc) : null), [models, doc]);

  if (!models) return <Loading what="the subscription form" />;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted((n) => n + 1);
    if (!verdict?.ok) {
      setErrors(verdict ? toErrorMap(verdict.errors, MESSAGES) : {});
      return;
    }
    setBusy(true);
    const res = await submitValidated('/api/subscriptions', { agentId, plan }, verdict, { conflictPaths: ['agentId'], labels: MESSAGES });
    setBusy(false);
    if (res.ok) {
      const agent = AGENTS.find((a) => a.id === agentId)?.name ?? agentId;
      const ends = typeof res.document.expiryDate === 'string' ? new Date(res.document.expiryDate) : expiry;
      setBanner({ ok: true, text: `Subscribed to ${agent} until ${ends ? formatUtc(ends) : ''}.` });
      setErrors({});
    } else {
      if (res.code === 'duplicate_key') {
        res.fieldErrors = { agentId: 'You already have a subscription to this agent.' };
        res.message = 'You already subscribe to this agent; pick another one.';
      }
      setErrors(res.fieldErrors);
      // The server's field errors get the summary (and the focus) too.
      if (Object.keys(res.fieldErrors).length) setSubmitted((n) => n + 1);
      if (res.message) setBanner({ ok: false, text: res.message });
    }
  }

  const reset = () => {
    setErrors({});
    setBanner(null);
  };

  return (
    <form className="card" onSubmit={submit} noValidate data-testid="subscribe-form">
      <ErrorSummary errors={onlyPaths(errors, ['agentId', 'plan'])} order={['agentId', 'plan']} attempt={submitted} />
      {loadError ? <div className="banner error">Could not load the plans: {loadError}</div> : null}
      {plans.length === 0 && !loadError ? (
        <div className="banner error" data-testid="no-plans">
          No plans are on sale yet: an administrator adds them (<code>bash tools/run.sh</code> adds three).
        </div>
      ) : null}
      <Banner banner={banner} />
      <p className="hint" data-testid="subscriber">
        Subscribing as <strong>{subscriber.name}</strong>. See your subscriptions on <Link href="/account">Account</Link>.
      </p>
      <RequiredNote />
      <div className="grid">
        <SelectField id="agentId" label="Agent" required error={errors.agentId} value={agentId} options={AGENT_OPTIONS} onChange={(v) => { setAgentId(v); reset(); }} />
        <SelectField
          id="plan"
          label="Plan"
          required
          error={errors.plan}
          value={plan}
          options={plans.map((p) => ({ value: p.period, label: `${p.name} (${p.priceFormatted})` }))}
          onChange={(v) => { setPlan(v); reset(); }}
        />
        <div className="field">
          <span className="label" id="expiry-label">Ends</span>
          <div className="preview" data-testid="expiry-preview" aria-labelledby="expiry-label" role="status">
            {expiry ? <strong>{formatUtc(expiry)}</strong> : '—'}
          </div>
        </div>
      </div>
      {errors.price || errors.expiryDate || errors.userId ? <div className="error">{errors.price ?? errors.expiryDate ?? errors.userId}</div> : null}
      <div className="actions">
        <button type="submit" disabled={busy || !offer} data-testid="submit" aria-describedby={offer ? undefined : 'subscribe-unavailable'}>
          {busy ? 'Subscribing…' : offer ? `Subscribe for ${offer.priceFormatted}` : 'Subscribe'}
        </button>
        {offer ? null : (
          <span className="hint" id="subscribe-unavailable">
            You can subscribe once a plan is on sale.
          </span>
        )}
      </div>
    </form>
  );
}
