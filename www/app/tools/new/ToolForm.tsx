'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { Banner, Field, Loading, SelectField, type BannerState } from '@/components/Field';
import { newId, toErrorMap, withPathErrors, type ErrorMap } from '@/lib/forms';
import { useModels } from '@/lib/models';
import { submitValidated } from '@/lib/submit';

interface VersionRow {
  versionId: string;
  version: string;
  description: string;
}

interface InputRow {
  id: string;
  name: string;
  type: string;
  description: string;
  required: boolean;
}

const CATEGORIES = ['data-processing', 'integration', 'analytics', 'automation', 'utility', 'ai', 'custom'].map((c) => ({ value: c, label: c }));
const INPUT_TYPES = ['string', 'number', 'boolean', 'array', 'object', 'file', 'multiselect'];

const slugify = (s: string) =>
  s
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** The signed-in person, who publishes the tool. */
export interface Author {
  id: string;
  /** The profile's name; empty when the person has not given one. */
  name: string;
}

export function ToolForm({ author }: { author: Author }) {
  const models = useModels();
  const [toolId] = useState(() => newId('tool'));
  const [name, setName] = useState('');
  // The slug follows the name until the person edits it.
  const [slugInput, setSlugInput] = useState<string | null>(null);
  const slug = slugInput ?? slugify(name);
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState('utility');
  const [tags, setTags] = useState('');
  const [currentVersion, setCurrentVersion] = useState('1.0.0');
  const [codeUrl, setCodeUrl] = useState('');
  const [mainFunction, setMainFunction] = useState('');
  const [versions, setVersions] = useState<VersionRow[]>([{ versionId: 'v1.0.0', version: '1.0.0', description: 'Initial release' }]);
  const [inputs, setInputs] = useState<InputRow[]>([{ id: 'url', name: 'URL', type: 'string', description: '', required: true }]);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [serverErrors, setServerErrors] = useState<ErrorMap>({});
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);

  const doc = useMemo(
    () => ({
      id: toolId,
      metadata: {
        name,
        slug,
        description,
        category,
        tags: tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        author,
        currentVersion,
        allVersions: versions.map((v) => ({ versionId: v.versionId, version: v.version, ...(v.description ? { description: v.description } : {}) })),
      },
      config: {
        inputs: inputs.map((i) => ({ id: i.id, name: i.name, type: i.type, required: i.required, ...(i.description ? { description: i.description } : {}) })),
      },
      codeUrl,
      mainFunction,
    }),
    [toolId, name, slug, description, category, tags, author, currentVersion, versions, inputs, codeUrl, mainFunction],
  );
  const verdict = useMemo(() => (models ? models.validate('tools', doc) : null), [models, doc]);
  const liveErrors = useMemo(() => (verdict && !verdict.ok ? toErrorMap(verdict.errors) : {}), [verdict]);

  if (!models) return <Loading what="the marketplace form" />;

  // The server's errors show wherever they point; the browser's on the fields a person has touched.
  const err = (path: string): string | undefined => serverErrors[path] ?? (touched.has(path) ? liveErrors[path] : undefined);
  const touch = (path: string) => {
    setBanner(null);
    setServerErrors((e) => withPathErrors(e, path, []));
    setTouched((t) => new Set(t).add(path));
  };

  function setVersion(i: number, patch: Partial<VersionRow>) {
    setVersions((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
    for (const k of Object.keys(patch)) touch(`metadata.allVersions.${i}.${k}`);
  }
  function setInput(i: number, patch: Partial<InputRow>) {
    setInputs((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
    for (const k of Object.keys(patch)) touch(`config.inputs.${i}.${k}`);
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    // The author is the session's user: the route handler sets it, whatever is sent.
    const { author: _author, ...metadata } = doc.metadata;
    const res = await submitValidated('/api/tools', { ...doc, metadata }, verdict, { conflictPaths: ['metadata.slug'] });
    setBusy(false);
    if (res.ok) {
      setBanner({ ok: true, text: `“${name}” is published as ${slug}.` });
      setServerErrors({});
    } else {
      setServerErrors(res.fieldErrors);
      setBanner({ ok: false, text: res.message });
    }
  }

  const input = (path: string, label: string, value: string, set: (v: string) => void, opts: { hint?: string; wide?: boolean; list?: string } = {}) => (
    <Field id={path} label={label} error={err(path)} hint={opts.hint} wide={opts.wide}>
      <input
        id={path}
        name={path}
        value={value}
        list={opts.list}
        onChange={(e) => {
          set(e.target.value);
          touch(path);
        }}
      />
    </Field>
  );

  return (
    <>
      <form onSubmit={submit} noValidate data-testid="tool-form">
        <Banner banner={banner} />
        {author.name ? (
          <p className="hint" data-testid="author">
            Published as <strong>{author.name}</strong>, listed in the public marketplace.
          </p>
        ) : (
          <div className="banner error" data-testid="author-missing">
            The marketplace shows the author’s name: <Link href="/account">add your name to your profile</Link> before publishing.
          </div>
        )}
        <section className="card">
          <h2>Listing</h2>
          <div className="grid">
            {input('metadata.name', 'Name', name, setName)}
            {input('metadata.slug', 'Slug', slug, setSlugInput)}
            {input('metadata.description', 'Short description', description, setDescription, { wide: true })}
            <SelectField
              id="metadata.category"
              label="Category"
              error={err('metadata.category')}
              value={category}
              options={CATEGORIES}
              onChange={(v) => { setCategory(v); touch('metadata.category'); }}
            />
            {input('metadata.tags', 'Tags', tags, setTags, { hint: 'Comma separated.' })}
            {input('metadata.currentVersion', 'Current version', currentVersion, setCurrentVersion)}
            {input('mainFunction', 'Entry function', mainFunction, setMainFunction)}
            {input('codeUrl', 'Source code URL', codeUrl, setCodeUrl, { wide: true })}
          </div>
        </section>

        <section className="card">
          <h2>Versions</h2>
          <div className="rows">
            {versions.map((v, i) => (
              <div className="row" key={i} data-row={`version-${i}`} style={{ gridTemplateColumns: '1fr 1fr 2fr auto' }}>
                {input(`metadata.allVersions.${i}.versionId`, 'Version id', v.versionId, (x) => setVersion(i, { versionId: x }))}
                {input(`metadata.allVersions.${i}.version`, 'Version', v.version, (x) => setVersion(i, { version: x }))}
                {input(`metadata.allVersions.${i}.description`, 'Notes', v.description, (x) => setVersion(i, { description: x }))}
                <button type="button" className="link" onClick={() => setVersions((rows) => rows.filter((_, j) => j !== i))} aria-label={`Remove version ${i + 1}`}>
                  Remove
                </button>
              </div>
            ))}
          </div>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setVersions((rows) => [...rows, { versionId: '', version: '', description: '' }])}>
              Add version
            </button>
          </div>
        </section>

        <section className="card">
          <h2>Inputs</h2>
          <datalist id="input-types">
            {INPUT_TYPES.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <div className="rows">
            {inputs.map((row, i) => (
              <div className="row" key={i} data-row={`input-${i}`} style={{ gridTemplateColumns: '1fr 1fr 1fr auto auto' }}>
                {input(`config.inputs.${i}.id`, 'Id', row.id, (x) => setInput(i, { id: x }))}
                {input(`config.inputs.${i}.name`, 'Label', row.name, (x) => setInput(i, { name: x }))}
                {input(`config.inputs.${i}.type`, 'Type', row.type, (x) => setInput(i, { type: x }), { list: 'input-types' })}
                <div className="field">
                  <label htmlFor={`config.inputs.${i}.required`}>Required</label>
                  <input
                    id={`config.inputs.${i}.required`}
                    type="checkbox"
                    checked={row.required}
                    onChange={(e) => setInput(i, { required: e.target.checked })}
                  />
                </div>
                <button type="button" className="link" onClick={() => setInputs((rows) => rows.filter((_, j) => j !== i))} aria-label={`Remove input ${i + 1}`}>
                  Remove
                </button>
              </div>
            ))}
          </div>
          <div className="actions">
            <button type="button" className="secondary" data-testid="add-input" onClick={() => setInputs((rows) => [...rows, { id: '', name: '', type: 'string', description: '', required: false }])}>
              Add input
            </button>
          </div>
        </section>

        <div className="actions" style={{ marginTop: 20 }}>
          <button type="submit" disabled={busy || !verdict?.ok || !author.name} data-testid="submit">
            {busy ? 'Publishing…' : 'Publish tool'}
          </button>
          {verdict && !verdict.ok ? <span className="hint">{verdict.errors.length} field(s) to fix before publishing.</span> : null}
        </div>
      </form>
    </>
  );
}
