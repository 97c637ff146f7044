// The API reference: the Rust server's own OpenAPI document (fetched from
// it, server side), rendered as a readable page: every operation by group,
// who may call it, its parameters, body and answers, and every schema. No
// script and nothing from another origin: it is plain server-rendered HTML.
import type { Metadata } from 'next';
import { Markdown } from './Markdown';
import { Properties, SchemaView } from './Schema';
import {
  isNode,
  listAt,
  loadDocument,
  nodeAt,
  operationAnchor,
  operationsByTag,
  schemaAnchor,
  textAt,
  type Node,
  type Operation,
} from './openapi';
import styles from './api-docs.module.css';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'API reference · OneLastAI' };

/** Who may call an operation, from its `security`. */
function who(op: Node, schemes: Node): string {
  const reqs = listAt(op, 'security').filter(isNode);
  const names = reqs.flatMap((r) => Object.keys(r));
  const anyone = reqs.some((r) => Object.keys(r).length === 0);
  const label = (n: string) => textAt(schemes[n], 'description')?.split(':')[0] ?? n;
  if (names.length === 0) return 'Anyone; no credentials.';
  const tokens = [...new Set(names)].map((n) => `${n} (${label(n)})`).join(' or ');
  return anyone ? `Anyone; with a token: ${tokens}.` : `Requires ${tokens}.`;
}

function Parameters({ op }: { op: Node }) {
  const params = listAt(op, 'parameters').filter(isNode);
  if (params.length === 0) return null;
  return (
    <>
      <h4>Parameters</h4>
      <table className={styles.params}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">In</th>
            <th scope="col">Schema</th>
          </tr>
        </thead>
        <tbody>
          {params.map((p) => {
            const schema = nodeAt(p, 'schema');
            const exploded = p.explode === true && isNode(schema.properties);
            return (
              <tr key={`${textAt(p, 'in')}-${textAt(p, 'name')}`} data-param={textAt(p, 'name')}>
                <td>
                  <code>{exploded ? '<field>' : textAt(p, 'name')}</code>
                  {p.required === true ? <span className={styles.required}> required</span> : null}
                </td>
                <td>{textAt(p, 'in')}</td>
                <td>
                  {exploded ? <Properties schema={schema} /> : <SchemaView schema={schema} />}
                  <Markdown className={styles.desc} text={textAt(p, 'description')} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

function Body({ content }: { content: unknown }) {
  const schema = nodeAt(content, 'application/json').schema;
  if (schema === undefined) return null;
  return <SchemaView schema={schema} />;
}

function OperationView({ o, schemes }: { o: Operation; schemes: Node }) {
  const { op } = o;
  const request = nodeAt(op, 'requestBody');
  const responses = Object.entries(nodeAt(op, 'responses'));
  return (
    <details className={styles.op} id={operationAnchor(o)} data-operation={`${o.method} ${o.path}`}>
      <summary>
        <span className={`${styles.method} ${styles[o.method] ?? ''}`}>{o.method}</span>
        <span className={styles.path}>{o.path}</span>
        <span className={styles.summary}>{textAt(op, 'summary')}</span>
      </summary>
      <div className={styles.opBody}>
        <Markdown text={textAt(op, 'description')} />
        <p>
          <strong>Credentials</strong>: {who(op, schemes)}
        </p>
        <Parameters op={op} />
        {Object.keys(request).length > 0 ? (
          <>
            <h4>Request body (JSON)</h4>
            <Body content={request.content} />
          </>
        ) : null}
        <h4>Answers</h4>
        <ul className={styles.responses}>
          {responses.map(([status, r]) => (
            <li key={status} data-status={status}>
              <span className={styles.status}>{status}</span> {textAt(r, 'description')}
              <Body content={nodeAt(r, 'content')} />
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}

export default async function ApiDocsPage() {
  const loaded = await loadDocument();
  if ('error' in loaded) {
    return (
      <>
        <h1>API reference</h1>
        <p className="lead" role="alert">
          The API description is unavailable right now. {loaded.error}
        </p>
      </>
    );
  }
  const { doc } = loaded;
  const info = nodeAt(doc, 'info');
  const components = nodeAt(doc, 'components');
  const schemes = nodeAt(components, 'securitySchemes');
  const schemas = nodeAt(components, 'schemas');
  const groups = operationsByTag(doc);
  return (
    <>
      <h1>API reference</h1>
      <p className="lead" data-testid="api-title">
        {textAt(info, 'title')} {textAt(info, 'version')} · OpenAPI {textAt(doc, 'openapi')} ·{' '}
        <a href="/api-docs/openapi.json">openapi.json</a>
      </p>
      <div className={styles.layout}>
        <nav className={styles.toc} aria-label="API sections">
          <ul>
            <li>
              <a href="#authentication">Authentication</a>
            </li>
            {groups.map((g) => (
              <li key={g.tag}>
                <a href={`#tag-${g.tag}`}>{g.tag}</a>
              </li>
            ))}
            <li>
              <a href="#schemas">Schemas</a>
            </li>
          </ul>
        </nav>
        <div>
          <Markdown text={textAt(info, 'description')} />
          <section id="authentication" className={styles.tag}>
            <h2>Authentication</h2>
            <ul>
              {Object.entries(schemes).map(([name, s]) => (
                <li key={name}>
                  <code>{name}</code>: HTTP {textAt(s, 'scheme')} token. <Markdown text={textAt(s, 'description')} />
                </li>
              ))}
            </ul>
          </section>
          {groups.map((g) => (
            <section key={g.tag} id={`tag-${g.tag}`} className={styles.tag} data-tag={g.tag}>
              <h2>{g.tag}</h2>
              <Markdown text={g.description} />
              {g.operations.map((o) => (
                <OperationView key={`${o.method} ${o.path}`} o={o} schemes={schemes} />
              ))}
            </section>
          ))}
          <section id="schemas" className={styles.tag}>
            <h2>Schemas</h2>
            {Object.entries(schemas).map(([name, s]) => (
              <div key={name} id={schemaAnchor(name)} className={styles.schemaEntry} data-schema={name}>
                <h3>{name}</h3>
                <Markdown className={styles.desc} text={textAt(s, 'description')} />
                <SchemaView schema={s} />
              </div>
            ))}
          </section>
        </div>
      </div>
    </>
  );
}
