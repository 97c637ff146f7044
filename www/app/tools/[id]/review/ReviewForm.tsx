'use client';

// A review form driven by react-hook-form, validated by the package's
// Standard Schema of `toolreviews` through @hookform/resolvers'
// `standardSchemaResolver`: the whole document (the tool and the reviewer
// included) is validated by the Rust rules compiled to WebAssembly, with the
// package's human messages (`schemaOf(..., { locale: 'en' })`). The server
// validates again and stores it.
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { Inputs } from '@onelastai/models';
import { Banner, Field, Loading, RequiredNote, type BannerState } from '@/components/Field';
import { lengthHint } from '@/lib/fields';
import { useModels, type Models } from '@/lib/models';
import { sendForm } from '@/lib/submit';

type Review = Inputs['toolreviews'];

/** The fields a person fills in, in order. */
const FIELDS = ['rating', 'title', 'content'] as const;

/** The tool under review: its `_id` (the page's address) and its app id (what a review names). */
export interface ReviewedTool {
  objectId: string;
  id: string;
}

export function ReviewForm(props: { tool: ReviewedTool; userId: string }) {
  const models = useModels();
  if (!models) return <Loading what="the review form" />;
  return <ReviewFields {...props} models={models} />;
}

function ReviewFields({ tool, userId, models }: { tool: ReviewedTool; userId: string; models: Models }) {
  const schema = useMemo(() => models.schemaOf('toolreviews', { locale: 'en' }), [models]);
  const [banner, setBanner] = useState<BannerState | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Review>({
    resolver: standardSchemaResolver(schema),
    mode: 'onTouched',
    defaultValues: { toolId: tool.id, userId, title: '', content: '' },
  });

  const submit = handleSubmit(async (review) => {
    setBanner(null);
    const res = await sendForm(
      `/api/tools/${encodeURIComponent(tool.objectId)}/reviews`,
      { rating: review.rating, title: review.title, content: review.content },
      { labels: { collection: 'toolreviews' } },
    );
    if (res.ok) {
      setBanner({ ok: true, text: 'Thank you: your review is published.' });
      return;
    }
    for (const name of FIELDS) {
      const message = res.fieldErrors[name];
      if (message) setError(name, { type: 'server', message });
    }
    setBanner({ ok: false, text: res.message });
  });

  const message = (name: (typeof FIELDS)[number]) => errors[name]?.message;
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="review-form">
      <RequiredNote />
      <Field id="rating" label="Rating (1 to 5 stars)" required error={message('rating')}>
        <input
          id="rating"
          type="number"
          inputMode="numeric"
          step="1"
          {...register('rating', { setValueAs: (v: unknown) => (v === '' || v === undefined ? undefined : Number(v)) })}
        />
      </Field>
      <Field id="title" label="Title" required hint={lengthHint(models, 'toolreviews', 'title')} error={message('title')}>
        <input id="title" type="text" {...register('title')} />
      </Field>
      <Field id="content" label="Your review" required error={message('content')}>
        <textarea id="content" {...register('content')} />
      </Field>
      <button type="submit" disabled={isSubmitting} data-testid="submit">
        {isSubmitting ? 'Publishing…' : 'Publish review'}
      </button>
      <Banner banner={banner} />
    </form>
  );
}
