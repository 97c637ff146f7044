// A JSON Schema (2020-12, as OpenAPI 3.1 uses) shown as a nested list of
// properties: name, type, whether it is required, its constraints and
// description. References link to the schema's own entry on the page.
import { Markdown } from './Markdown';
import { isNode, listAt, nodeAt, refName, schemaAnchor, textAt, type Node } from './openapi';
import styles from './api-docs.module.css';

/** How deep nested objects are unfolded inline before a reference would be needed. */
const MAX_DEPTH = 6;

/** `string`, `number | null`, `array of string`, a link for a reference, ... */
export function TypeOf({ schema }: { schema: unknown }) {
  if (schema === false) return <span className={styles.type}>never (not returned)</span>;
  if (!isNode(schema)) return <span className={styles.type}>any</span>;
  const ref = textAt(schema, '$ref');
  if (ref) {
    const name = refName(ref);
    return (
      <a className={styles.type} href={`#${schemaAnchor(name)}`}>
        {name}
      </a>
    );
  }
  const alternatives = [...listAt(schema, 'oneOf'), ...listAt(schema, 'anyOf')];
  if (alternatives.length > 0) {
    return (
      <span className={styles.type}>
        {alternatives.map((s, i) => (
          <span key={i}>
            {i > 0 ? ' | ' : ''}
            <TypeOf schema={s} />
          </span>
        ))}
      </span>
    );
  }
  if ('const' in schema) return <code className={styles.type}>{JSON.stringify(schema.const)}</code>;
  const types = Array.isArray(schema.type) ? schema.type.map(String) : typeof schema.type === 'string' ? [schema.type] : [];
  const shown = types.map((t) => {
    if (t === 'array') {
      const items = schema.items;
      // `array of (string | null) | null`, not `array of string | null | null`.
      const several = isNode(items) && Array.isArray(items.type) && items.type.length > 1;
      return (
        <span key={t}>
          array of {several ? '(' : ''}
          <TypeOf schema={items} />
          {several ? ')' : ''}
        </span>
      );
    }
    if (t === 'string' && typeof schema.format === 'string') return <span key={t}>string ({schema.format})</span>;
    return <span key={t}>{t}</span>;
  });
  if (shown.length === 0 && Array.isArray(schema.enum)) shown.push(<span key="enum">enum</span>);
  if (shown.length === 0) shown.push(<span key="any">{isNode(schema.properties) ? 'object' : 'any'}</span>);
  return (
    <span className={styles.type}>
      {shown.map((s, i) => (
        <span key={i}>
          {i > 0 ? ' | ' : ''}
          {s}
        </span>
      ))}
    </span>
  );
}

/** The constraints of a schema in words. */
function constraints(schema: Node): string[] {
  const out: string[] = [];
  const n = (k: string) => (typeof schema[k] === 'number' ? String(schema[k]) : undefined);
  if (Array.isArray(schema.enum)) out.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (n('minimum')) out.push(`≥ ${n('minimum')}`);
  if (n('maximum')) out.push(`≤ ${n('maximum')}`);
  const count = (k: string, what: string) => `${n(k)} ${what}${n(k) === '1' ? '' : 's'}`;
  if (n('minLength')) out.push(`at least ${count('minLength', 'character')}`);
  if (n('maxLength')) out.push(`at most ${count('maxLength', 'character')}`);
  if (n('maxItems')) out.push(`at most ${count('maxItems', 'item')}`);
  if (typeof schema.pattern === 'string') out.push(`matches ${schema.pattern}`);
  if ('default' in schema) out.push(`default ${JSON.stringify(schema.default)}`);
  return out;
}

/** The object schema a property list is drawn from: the schema, its array items, or nothing. */
function objectOf(schema: unknown): Node | null {
  if (!isNode(schema) || textAt(schema, '$ref')) return null;
  if (isNode(schema.properties)) return schema;
  if (isNode(schema.items) && isNode(schema.items.properties) && !textAt(schema.items, '$ref')) return schema.items;
  if (isNode(schema.additionalProperties) && isNode(schema.additionalProperties.properties)) return schema.additionalProperties;
  return null;
}

/** The properties of an object schema, nested objects unfolded. */
export function Properties({ schema, depth = 0 }: { schema: Node; depth?: number }) {
  const properties = nodeAt(schema, 'properties');
  const required = new Set(listAt(schema, 'required').map(String));
  const names = Object.keys(properties);
  if (names.length === 0) return null;
  return (
    <ul className={styles.props}>
      {names.map((name) => {
        const p = properties[name];
        const inner = depth < MAX_DEPTH ? objectOf(p) : null;
        const rules = isNode(p) ? constraints(p) : [];
        return (
          <li key={name} data-property={name}>
            <code className={styles.name}>{name}</code> <TypeOf schema={p} />
            {required.has(name) ? <span className={styles.required}> required</span> : null}
            {rules.length > 0 ? <span className={styles.rules}> · {rules.join(' · ')}</span> : null}
            {isNode(p) ? <Markdown className={styles.desc} text={textAt(p, 'description')} /> : null}
            {inner ? <Properties schema={inner} depth={depth + 1} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** A schema: its type line, then its properties when it is an object. */
export function SchemaView({ schema }: { schema: unknown }) {
  const object = objectOf(schema);
  return (
    <div className={styles.schema}>
      <TypeOf schema={schema} />
      {isNode(schema) && !object ? <span className={styles.rules}> {constraints(schema).join(' · ')}</span> : null}
      {object ? <Properties schema={object} /> : null}
    </div>
  );
}
