'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { ErrorSummary } from '@/components/ErrorSummary';
import { Banner, Field, Loading, RequiredNote, SelectField, type BannerState } from '@/components/Field';
import { fieldMeta } from '@/lib/fields';
import { newId, toErrorMap, type ErrorMap, type Labels } from '@/lib/forms';
import { useModels } from '@/lib/models';
import { submitValidated } from '@/lib/submit';

interface VersionRow {
  /** Stable across removals: React's key and the address of the row's errors. */
  key: string;
  versionId: string;
  version: string;
  description: string;
}

interface InputRow {
  key: string;
  id: string;
  name: string;
  type: string;
  description: string;
  required: boolean;
}

const VERSIONS = 'metadata.allVersions';
const INPUTS = 'config.inputs';

/** The top-level fields, in the order the form shows them. */
const FIELDS = ['metadata.name', 'metadata.slug', 'metadata.description', 'metadata.category', 'metadata.tags', 'metadata.currentVersion', 'mainFunction', 'codeUrl'] as const;

const LABELS: Record<string, string> = {
  'metadata.name': 'Name',
  'metadata.slug': 'Slug',
  'metadata.description': 'Short description',
  'metadata.category': 'Category',
  'metadata.tags': 'Tags',
  'metadata.currentVersion': 'Current version',
  mainFunction: 'Entry function',
  codeUrl: 'Source code URL',
  versionId: 'Version id',
  version: 'Version',
  description: 'Notes',
  id: 'Id',
  name: 'Label',
  type: 'Type',
  required: 'Required',
};

/** How this form's messages name its fields. */
const MESSAGES: Labels = { label: (path) => labelOf(path), collection: 'tools' };

/** `config.inputs.1.type` → `Input 2 type`; top-level paths by their label. */
function labelOf(path: string): string {
  const row = /^(metadata\.allVersions|config\.inputs)\.(\d+)\.(\w+)/.exec(path);
  if (!row) return LABELS[path] ?? path;
  const [, list, i, field] = row;
  return `${list === VERSIONS ? 'Version' : 'Input'} ${Number(i) + 1} ${(LABELS[field ?? ''] ?? field ?? '').toLowerCase()}`;
}

const slugify = (s: string) =>
  s
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

let rowCount = 0;
const rowKey = () => `row${++rowCount}`;

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
  const [category, setCategory] = useState('');
  const [tags, setTags] = useState('');
  const [currentVersion, setCurrentVersion] = useState('1.0.0');
  const [codeUrl, setCodeUrl] = useState('');
  const [mainFunction, setMainFunction] = useState('');
  const [versions, setVersions] = useState<VersionRow[]>(() => [{ key: rowKey(), versionId: 'v1.0.0', version: '1.0.0', description: 'Initial release' }]);
  const [inputs, setInputs] = useState<InputRow[]>(() => [{ key: rowKey(), id: 'url', name: 'URL', type: '', description: '', required: true }]);
  // What a person has touched and what the server said, by stable address
  // (`<row key>.<field>` inside rows), so removing a row takes its errors along.
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [serverErrors, setServerErrors] = useState<ErrorMap>({});
  // How many times the person tried to submit: the summary appears (and takes the focus) on each try.
  const [submitted, setSubmitted] = useState(0);
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);

  const categories = models ? (fieldMeta(models, 'tools', 'metadata.category').values ?? []) : [];
  const inputTypes = models ? (fieldMeta(models, 'tools', `${INPUTS}.0.type`).values ?? []) : [];
  // Until one is picked: the declared default, if any (else the person chooses).
  const categoryDefault = models ? fieldMeta(models, 'tools', 'metadata.category').default : undefined;
  const categoryValue = category || (typeof categoryDefault === 'string' ? categoryDefault : '');

  const doc = useMemo(
    () => ({
      id: toolId,
      metadata: {
        name,
        slug,
        description,
        // An optional field left at "None" is absent, not an empty string.
        ...(categoryValue ? { category: categoryValue } : {}),
        tags: tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        author,
        currentVersion,
        allVersions: versions.map((v) => ({ versionId: v.versionId, version: v.version, ...(v.description ? { description: v.description } : {}) })),
      },
      config: {
        inputs: inputs.map((i) => ({ id: i.id, name: i.name, ...(i.type ? { type: i.type } : {}), required: i.required, ...(i.description ? { description: i.description } : {}) })),
      },
      codeUrl,
      mainFunction,
    }),
    [toolId, name, slug, description, categoryValue, tags, author, currentVersion, versions, inputs, codeUrl, mainFunction],
  );
  const verdict = useMemo(() => (models ? models.validate('tools', doc) : null), [models, doc]);
  const liveErrors = useMemo(() => (verdict && !verdict.ok ? toErrorMap(verdict.errors, MESSAGES) : {}), [verdict]);

  if (!models) return <Loading what="the marketplace form" />;

  /** A path's stable address: row indices replaced by the row's key. */
  const address = (path: string): string => {
    const row = /^(metadata\.allVersions|config\.inputs)\.(\d+)(\..*)?$/.exec(path);
    if (!row) return path;
    const rows = row[1] === VERSIONS ? versions : inputs;
    const key = rows[Number(row[2])]?.key;
    return key ? `${key}${row[3] ?? ''}` : path;
  };

  // Shown: the server's errors wherever they point; the browser's on the
  // fields a person has touched, or on every field once they tried to publish.
  const shown: ErrorMap = {};
  for (const [p, m] of Object.entries(liveErrors)) if (submitted || touched.has(address(p))) shown[p] = m;
  for (const [p, m] of Object.entries(serverErrors)) {
    const at = pathAt(p);
    if (at) shown[at] = m;
  }
  /** The current path of a stable address (a removed row's: none). */
  function pathAt(addr: string): string | undefined {
    const m = /^(row\d+)(\..*)?$/.exec(addr);
    if (!m) return addr;
    const v = versions.findIndex((r) => r.key === m[1]);
    if (v !== -1) return `${VERSIONS}.${v}${m[2] ?? ''}`;
    const i = inputs.findIndex((r) => r.key === m[1]);
    return i === -1 ? undefined : `${INPUTS}.${i}${m[2] ?? ''}`;
  }

  const err = (path: string): string | undefined => shown[path];
  const touch = (path: string) => {
    const addr = address(path);
    setBanner(null);
    setServerErrors((e) => Object.fromEntries(Object.entries(e).filter(([a]) => a !== addr && !a.startsWith(`${addr}.`))));
    setTouched((t) => new Set(t).add(addr));
  };
  const required = (path: string) => fieldMeta(models, 'tools', path).required;

  function setVersion(i: number, patch: Partial<VersionRow>) {
    setVersions((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
    for (const k of Object.keys(patch)) touch(`${VERSIONS}.${i}.${k}`);
  }
  function setInput(i: number, patch: Partial<InputRow>) {
    setInputs((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
    for (const k of Object.keys(patch)) touch(`${INPUTS}.${i}.${k}`);
  }

  /** Every field the form shows, in order: what the summary sorts by. */
  const order = [
    ...FIELDS,
    ...versions.flatMap((_, i) => ['versionId', 'version', 'description'].map((f) => `${VERSIONS}.${i}.${f}`)),
    VERSIONS,
    ...inputs.flatMap((_, i) => ['id', 'name', 'type', 'required'].map((f) => `${INPUTS}.${i}.${f}`)),
    INPUTS,
  ];
  // The summary lists exactly the fields that are marked.
  const marked: ErrorMap = Object.fromEntries(Object.entries(shown).filter(([p]) => order.includes(p)));

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted((n) => n + 1);
    setBanner(null);
    if (!verdict?.ok) return; // every problem is now marked and summarised; nothing is sent
    setBusy(true);
    // The author is the session's user: the route handler sets it, whatever is sent.
    const { author: _author, ...metadata } = doc.metadata;
    const res = await submitValidated('/api/tools', { ...doc, metadata }, verdict, { conflictPaths: ['metadata.slug'], labels: MESSAGES });
    setBusy(false);
    if (res.ok) {
      setBanner({ ok: true, text: `“${name}” is published as ${slug}.` });
      setServerErrors({});
      setSubmitted(0);
    } else {
      setServerErrors(Object.fromEntries(Object.entries(res.fieldErrors).map(([p, m]) => [address(p), m])));
      // The server's field errors get the summary (and the focus) too.
      if (Object.keys(res.fieldErrors).length) setSubmitted((n) => n + 1);
      setBanner({ ok: false, text: res.message });
    }
  }

  const input = (path: string, value: string, set: (v: string) => void, opts: { hint?: string; wide?: boolean } = {}) => (
    <Field id={path} label={labelOf(path).replace(/^(Version|Input) \d+ /, '').replace(/^./, (c) => c.toUpperCase())} error={err(path)} hint={opts.hint} wide={opts.wide} required={required(path)}>
      <input
        id={path}
        name={path}
        value={value}
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
        <ErrorSummary errors={marked} order={order} attempt={submitted} />
        <Banner banner={banner} />
        {author.name ? (
          <p className="hint" data-testid="author">
            Published as <strong>{author.name}</strong>, listed in the public marketplace.
          </p>
        ) : (
          <div className="banner error" data-testid="author-missing" id="author-missing">
            The marketplace shows the author’s name: <Link href="/account">add your name to your profile</Link> before publishing.
          </div>
        )}
        <RequiredNote />
        <section className="card" aria-labelledby="listing-title">
          <h2 id="listing-title">Listing</h2>
          <div className="grid">
            {input('metadata.name', name, setName)}
            {input('metadata.slug', slug, setSlugInput, { hint: 'Lowercase letters, digits and dashes; follows the name until you edit it.' })}
            {input('metadata.description', description, setDescription, { wide: true })}
            <SelectField
              id="metadata.category"
              label="Category"
              required={required('metadata.category')}
              error={err('metadata.category')}
              value={categoryValue}
              placeholder={required('metadata.category') ? 'Choose a category' : 'None'}
              options={categories.map((c) => ({ value: c, label: c }))}
              onChange={(v) => {
                setCategory(v);
                touch('metadata.category');
              }}
            />
            {input('metadata.tags', tags, setTags, { hint: 'Comma separated.' })}
            {input('metadata.currentVersion', currentVersion, setCurrentVersion)}
            {input('mainFunction', mainFunction, setMainFunction)}
            {input('codeUrl', codeUrl, setCodeUrl, { wide: true })}
          </div>
        </section>

        <section className="card" aria-labelledby="versions-title">
          <h2 id="versions-title">Versions</h2>
          {err(VERSIONS) ? <div className="error" data-error-for={VERSIONS}>{err(VERSIONS)}</div> : null}
          <div className="rows">
            {versions.map((v, i) => (
              <fieldset className="row row-versions" key={v.key} data-row={`version-${i}`}>
                <legend className="row-head">Version {i + 1}</legend>
                {input(`${VERSIONS}.${i}.versionId`, v.versionId, (x) => setVersion(i, { versionId: x }))}
                {input(`${VERSIONS}.${i}.version`, v.version, (x) => setVersion(i, { version: x }))}
                {input(`${VERSIONS}.${i}.description`, v.description, (x) => setVersion(i, { description: x }))}
                <button type="button" className="link remove" onClick={() => setVersions((rows) => rows.filter((r) => r.key !== v.key))} aria-label={`Remove version ${i + 1}`}>
                  Remove
                </button>
              </fieldset>
            ))}
          </div>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setVersions((rows) => [...rows, { key: rowKey(), versionId: '', version: '', description: '' }])}>
              Add version
            </button>
          </div>
        </section>

        <section className="card" aria-labelledby="inputs-title">
          <h2 id="inputs-title">Inputs</h2>
          {err(INPUTS) ? <div className="error" data-error-for={INPUTS}>{err(INPUTS)}</div> : null}
          <div className="rows">
            {inputs.map((row, i) => (
              <fieldset className="row row-inputs" key={row.key} data-row={`input-${i}`}>
                <legend className="row-head">Input {i + 1}</legend>
                {input(`${INPUTS}.${i}.id`, row.id, (x) => setInput(i, { id: x }))}
                {input(`${INPUTS}.${i}.name`, row.name, (x) => setInput(i, { name: x }))}
                <SelectField
                  id={`${INPUTS}.${i}.type`}
                  label="Type"
                  required={required(`${INPUTS}.${i}.type`)}
                  error={err(`${INPUTS}.${i}.type`)}
                  value={row.type}
                  placeholder={required(`${INPUTS}.${i}.type`) ? 'Choose a type' : 'None'}
                  options={inputTypes.map((t) => ({ value: t, label: t }))}
                  onChange={(x) => setInput(i, { type: x })}
                />
                <div className="field check">
                  <input id={`${INPUTS}.${i}.required`} type="checkbox" checked={row.required} onChange={(e) => setInput(i, { required: e.target.checked })} />
                  <label htmlFor={`${INPUTS}.${i}.required`}>Required</label>
                </div>
                <button type="button" className="link remove" onClick={() => setInputs((rows) => rows.filter((r) => r.key !== row.key))} aria-label={`Remove input ${i + 1}`}>
                  Remove
                </button>
              </fieldset>
            ))}
          </div>
          <div className="actions">
            <button
              type="button"
              className="secondary"
              data-testid="add-input"
              onClick={() => setInputs((rows) => [...rows, { key: rowKey(), id: '', name: '', type: '', description: '', required: false }])}
            >
              Add input
            </button>
          </div>
        </section>

        <div className="actions" style={{ marginTop: 20 }}>
          <button type="submit" disabled={busy || !author.name} data-testid="submit" aria-describedby={author.name ? undefined : 'author-missing'}>
            {busy ? 'Publishing…' : 'Publish tool'}
          </button>
          {!author.name ? <span className="hint">Publishing needs your name (see above).</span> : null}
        </div>
      </form>
    </>
  );
}
