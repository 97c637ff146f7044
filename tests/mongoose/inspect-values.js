#!/usr/bin/env node
'use strict';

/*
 * The util.inspect differential: generated JSON values (arrays short and
 * long, numbers, strings with quotes, escapes, newlines, Unicode, nested
 * objects and arrays past the depth limit), inspected by Node here and by
 * the crate (`cargo run --example inspect`), compared text by text.
 *
 *   node inspect-values.js [--count N] [--seed S] [--show K]
 *
 * Exits 1 on any difference.
 */

const { execFileSync } = require('child_process');
const path = require('path');
const util = require('util');
const { rng } = require('./random');

const ROOT = path.resolve(__dirname, '..', '..');

function args() {
  const a = process.argv.slice(2);
  const get = (k, d) => (a.includes(k) ? a[a.indexOf(k) + 1] : d);
  return { count: Number(get('--count', 3000)), seed: Number(get('--seed', 1)), show: Number(get('--show', 10)) };
}

function generate(r) {
  const strings = ['', 'x', "it's", 'say "hi"', `both ' and "`, "all ' \" `", "tpl ' \" ${x}", 'back\\slash', 'tab\tnew\nline',
    'ctrl\u0001\u001f\u007f\u0085', 'é', '日本語テキスト', '🤖', '👍🏽', '🇫🇷', '𝒳', 'e\u0301', '\u200b', '\ufeff', '\u00a0', '\u2028',
    'a'.repeat(17), 'b'.repeat(77), 'c'.repeat(200), 'line one\nline two\nline three that is long enough to wrap the text\n', '\n'];
  const str = () => (r.bool(0.7) ? r.pick(strings) : Array.from({ length: r.int(0, 30) }, () => r.pick(['a', 'Z', ' ', "'", '"', '\n', 'é', '日', '🤖', '1'])).join(''));
  const num = () => r.pick([0, -0, 1, -1, 1.5, 100, 12345, 1e21, 1e-7, -123.456, 2 ** 53, r.int(-1000, 1000)]);
  const leaf = () => r.pick([null, true, false, num(), num(), str(), str()]);
  const value = (d) => {
    if (d > 5 || r.bool(0.35)) return leaf();
    if (r.bool(0.5)) {
      const n = r.pick([0, 1, 2, 3, 6, 7, 8, 12, 20, 26, 30, 99, 100, 101, 150]);
      const kind = n > 8 ? r.pick(['num', 'str', 'short']) : r.pick(['num', 'str', 'mix', 'short']);
      return Array.from({ length: n }, () => (kind === 'num' ? num() : kind === 'str' ? str() : kind === 'short' ? r.pick(['a', 'bb', 1, 22]) : value(d + 1)));
    }
    const o = {};
    const n = r.int(0, 6);
    for (let i = 0; i < n; i++) o[r.pick(['a', 'b_1', 'key', 'with space', 'a-b', '', '__proto__x', '1x', 'ünï', `k${i}`])] = value(d + 1);
    return o;
  };
  return value(0);
}

function main() {
  const { count, seed, show } = args();
  const r = rng(seed);
  const values = Array.from({ length: count }, () => generate(r));
  const input = values.map((v) => JSON.stringify(v)).join('\n') + '\n';
  const out = execFileSync('cargo', ['run', '-q', '--release', '-p', 'onelastai-models', '--example', 'inspect'], {
    cwd: ROOT,
    input,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const got = out.trimEnd().split('\n').map((l) => JSON.parse(l));
  let differ = 0;
  values.forEach((v, i) => {
    const want = util.inspect(JSON.parse(JSON.stringify(v)));
    if (want !== got[i]) {
      if (differ++ < show) console.log(`value ${JSON.stringify(v)}\n  node:  ${JSON.stringify(want)}\n  crate: ${JSON.stringify(got[i])}`);
    }
  });
  console.log(`inspect: ${count} values (seed ${seed}), ${count - differ} agree, ${differ} differ`);
  if (differ) process.exit(1);
}

main();
