'use client';

import { useMemo, useState } from 'react';
import { Banner, Loading, SelectField, type BannerState } from '@/components/Field';
import { formatUtc } from '@/lib/format';
import { type ErrorMap } from '@/lib/forms';
import { useModels } from '@/lib/models';
import { submitValidated } from '@/lib/submit';

export interface UserOption {
  id: string;
  label: string;
}

const AGENTS = [
  { id: 'einstein', name: 'Albert Einstein' },
  { id: 'curie', name: 'Marie Curie' },
  { id: 'tesla', name: 'Nikola Tesla' },
  { id: 'shakespeare', name: 'William Shakespeare' },
  { id: 'lovelace', name: 'Ada Lovelace' },
];

const PLANS = [
  { id: 'daily', label: 'Daily', price: 1.99 },
  { id: 'weekly', label: 'Weekly', price: 9.99 },
  { id: 'monthly', label: 'Monthly', price: 19.99 },
] as const;

type PlanId = (typeof PLANS)[number]['id'];

const AGENT_OPTIONS = AGENTS.map((a) => ({ value: a.id, label: a.name }));
const PLAN_OPTIONS = PLANS.map((p) => ({ value: p.id, label: `${p.label} ($${p.price.toFixed(2)})` }));

export function SubscribeForm({ users, loadError }: { users: UserOption[]; loadError?: string | undefined }) {
  const models = useModels();
  const [userId, setUserId] = useState(users[0]?.id ?? '');
  const [agentId, setAgentId] = useState(AGENTS[0]?.id ?? '');
  const [plan, setPlan] = useState<PlanId>('monthly');
  const [errors, setErrors] = useState<ErrorMap>({});
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);
  const [startDate] = useState(() => new Date());

  const price = PLANS.find((p) => p.id === plan)?.price ?? 0;
  const expiry = useMemo(() => (models ? new Date(models.calculateExpiryDate(plan, startDate)) : null), [models, plan, startDate]);
  const doc = useMemo(
    () => ({ userId, agentId, plan, price, startDate: startDate.toISOString(), expiryDate: expiry?.toISOString() }),
    [userId, agentId, plan, price, startDate, expiry],
  );
  const verdict = useMemo(() => (models ? models.validate('subscriptions', doc) : null), [models, doc]);

  if (!models) return <Loading what="the subscription form" />;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const res = await submitValidated('subscriptions', doc, verdict, ['userId', 'agentId']);
    setBusy(false);
    if (res.ok) {
      const agent = AGENTS.find((a) => a.id === agentId)?.name ?? agentId;
      setBanner({ ok: true, text: `Subscribed to ${agent} until ${expiry ? formatUtc(expiry) : ''}.` });
      setErrors({});
    } else {
      if (res.status === 409) {
        const msg = 'You already have a subscription to this agent.';
        res.fieldErrors.userId = msg;
        res.fieldErrors.agentId = msg;
        res.message = 'This account already subscribes to this agent; pick another agent or account.';
      }
      setErrors(res.fieldErrors);
      if (res.message) setBanner({ ok: false, text: res.message });
    }
  }

  const reset = () => {
    setErrors({});
    setBanner(null);
  };

  return (
    <form className="card" onSubmit={submit} noValidate data-testid="subscribe-form">
      {loadError ? <div className="banner error">Could not load users: {loadError}</div> : null}
      <Banner banner={banner} />
      <div className="grid">
        <SelectField
          id="userId"
          label="Account"
          error={errors.userId}
          hint={users.length ? undefined : 'Sign up first.'}
          value={userId}
          options={users.map((u) => ({ value: u.id, label: u.label }))}
          onChange={(v) => { setUserId(v); reset(); }}
        />
        <SelectField id="agentId" label="Agent" error={errors.agentId} value={agentId} options={AGENT_OPTIONS} onChange={(v) => { setAgentId(v); reset(); }} />
        <SelectField id="plan" label="Plan" error={errors.plan} value={plan} options={PLAN_OPTIONS} onChange={(v) => { setPlan(v); reset(); }} />
        <div className="field">
          <label>Ends</label>
          <div className="preview" data-testid="expiry-preview">
            {expiry ? (
              <strong>{formatUtc(expiry)}</strong>
            ) : (
              '—'
            )}
          </div>
        </div>
      </div>
      {errors.price || errors.expiryDate ? <div className="error">{errors.price ?? errors.expiryDate}</div> : null}
      <div className="actions">
        <button type="submit" disabled={busy || !verdict?.ok || !userId} data-testid="submit">
          {busy ? 'Subscribing…' : `Subscribe for $${price.toFixed(2)}`}
        </button>
      </div>
    </form>
  );
}
