// Runs the cross-layer vectors (tests/vectors/*.json) through the package and
// compares every answer with the case, as crates/models/tests/vectors.rs
// compares the native crate's: the verdict, the errors as a set of
// (path, kind, message), and for valid cases the normalised document as a
// JSON value. Plain ES module: Node and the Chromium page both import it.

/** Deep equality of JSON values: key order does not matter, types do. */
export function jsonEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
}

/** The differences between the package's answer and one vector case. */
export function checkCase(got, kase) {
  const diffs = [];
  const name = kase.name;
  if (got.ok !== kase.valid) {
    diffs.push(`${name}: ok is ${got.ok}, Mongoose says valid ${kase.valid}`);
  }
  const key = (e) => JSON.stringify([e.path, e.kind, e.message]);
  const want = new Set((kase.errors ?? []).map(key));
  const have = new Set((got.ok ? [] : got.errors).map(key));
  for (const k of want) if (!have.has(k)) diffs.push(`${name}: missing error ${k}`);
  for (const k of have) if (!want.has(k)) diffs.push(`${name}: unexpected error ${k}`);
  if (got.ok && kase.valid && !jsonEqual(got.value, kase.output)) {
    diffs.push(
      `${name}: output differs\n    got:  ${JSON.stringify(got.value)}\n    want: ${JSON.stringify(kase.output)}`,
    );
  }
  return diffs;
}

/**
 * Every case of one vector file through `validate` and through the typed
 * validator (`validate` + the model name, e.g. `validateUser`), which must
 * answer the same. Returns the cases, the differences and the answers.
 */
export function runVectorFile(pkg, file) {
  const diffs = [];
  const answers = [];
  const typedName = `validate${file.model}`;
  const typed = pkg[typedName];
  if (typeof typed !== 'function') diffs.push(`the package has no ${typedName}`);
  for (const kase of file.cases) {
    const options = { now: kase.now };
    const got = pkg.validate(file.collection, kase.input, options);
    diffs.push(...checkCase(got, kase));
    if (typeof typed === 'function' && !jsonEqual(typed(kase.input, options), got)) {
      diffs.push(`${kase.name}: ${typedName} answers differently from validate`);
    }
    answers.push(got);
  }
  return { cases: file.cases.length, diffs, answers };
}
