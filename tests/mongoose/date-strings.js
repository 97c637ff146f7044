#!/usr/bin/env node
'use strict';

process.env.TZ = 'UTC';

/*
 * The date-string differential: generated strings of every shape
 * `new Date(string)` meets (ISO forms and their near misses, V8's legacy
 * forms: month and weekday names, two-digit years, AM/PM, zone names and
 * offsets, parenthesised comments, odd whitespace, lone numbers, token soup),
 * read by V8 here (`Date.parse` under TZ=UTC) and by the crate
 * (`cargo run --example date_parse`), compared value by value.
 *
 *   TZ=UTC node date-strings.js [--count N] [--seed S] [--min-agreement 99.5] [--show K]
 *
 * Prints the agreement and up to K disagreements; exits 1 below the minimum.
 * Strings V8 reads as local time are compared as UTC (COMPATIBILITY.md,
 * `date-local-time`): this process runs with TZ=UTC.
 */

const { execFileSync } = require('child_process');
const path = require('path');
const { rng } = require('./random');

const ROOT = path.resolve(__dirname, '..', '..');

function args() {
  const a = process.argv.slice(2);
  const get = (k, d) => {
    const i = a.indexOf(k);
    return i >= 0 ? a[i + 1] : d;
  };
  return {
    count: Number(get('--count', 5000)),
    seed: Number(get('--seed', 1)),
    minAgreement: Number(get('--min-agreement', 99.5)),
    show: Number(get('--show', 20)),
  };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ZONES = ['GMT', 'UTC', 'UT', 'Z', 'z', 'EST', 'EDT', 'CST', 'CDT', 'MST', 'MDT', 'PST', 'PDT', 'CEST', 'BST', 'gmt', 'Utc'];
const SPACES = [' ', ' ', ' ', '  ', '\t', '\n', '\u00a0', '\ufeff', '\u2028', '\r\n', '\v', '\f'];
const JUNK = [',', '/', '.', '-', '+', ':', '(', ')', '@', '#', '_', '~', '*', '\u0000', 'é', '日', '😀', '[', '`', '{'];

function pad(n, w) {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + '0'.repeat(Math.max(0, w - s.length)) + s;
}

function makeGenerators(r) {
  const year = () => r.pick([r.int(1900, 2100), r.int(0, 99), r.int(0, 9999), r.int(100, 999), r.int(10000, 300000), r.int(-50, 50)]);
  const month = () => r.pick([r.int(1, 12), r.int(0, 13), r.int(1, 12)]);
  const day = () => r.pick([r.int(1, 28), r.int(1, 31), r.int(0, 32), r.int(29, 31)]);
  const monthName = () => {
    const m = r.pick(MONTHS);
    const forms = [m, m.slice(0, 3), m.toUpperCase(), m.toLowerCase(), m.slice(0, 3).toUpperCase(), m.slice(0, r.int(1, m.length)), m + 'x', m.slice(0, 3) + '.'];
    return r.pick(forms);
  };
  const dayName = () => {
    const d = r.pick(DAYS);
    return r.pick([d, d.slice(0, 3), d.slice(0, 3) + ',', d.toUpperCase(), d.slice(0, 2)]);
  };
  const sp = () => r.pick(SPACES);
  const hms = () => {
    const h = r.pick([r.int(0, 23), r.int(0, 12), r.int(0, 25), 24]);
    const m = r.pick([r.int(0, 59), r.int(0, 60)]);
    const parts = [String(r.bool(0.7) ? pad(h, 2) : h), pad(m, 2)];
    if (r.bool(0.6)) parts.push(pad(r.pick([r.int(0, 59), 60]), 2));
    let t = parts.join(':');
    if (parts.length === 3 && r.bool(0.3)) t += '.' + String(r.int(0, 999999999)).slice(0, r.int(1, 10));
    if (r.bool(0.25)) t += sp() + r.pick(['AM', 'PM', 'am', 'pm', 'a.m.', 'Am', 'P']);
    return t;
  };
  const offset = () =>
    r.pick([
      `${r.pick(['+', '-'])}${pad(r.int(0, 14), 2)}:${pad(r.pick([0, 30, 45, r.int(0, 70)]), 2)}`,
      `${r.pick(['+', '-'])}${pad(r.int(0, 14), 2)}${pad(r.pick([0, 30, 45]), 2)}`,
      `${r.pick(['+', '-'])}${r.int(0, 14)}`,
      `${r.pick(['+', '-'])}${r.int(0, 99999)}`,
      `GMT${r.pick(['+', '-'])}${pad(r.int(0, 12), 2)}${pad(r.pick([0, 30]), 2)}`,
      `UTC${r.pick(['+', '-'])}${r.int(0, 12)}`,
      `GMT${r.pick(['+', '-'])}${pad(r.int(0, 12), 2)}:${pad(r.pick([0, 30]), 2)}`,
      r.pick(ZONES),
      `(${r.pick(['Coordinated Universal Time', 'Central European Summer Time', 'PST', 'nested (x) y', 'unbalanced'])})`,
    ]);
  const iso = () => {
    const y = r.pick([pad(r.int(0, 9999), 4), `${r.pick(['+', '-'])}${pad(r.int(0, 275761), 6)}`, pad(r.int(0, 99), 2), '-000000', String(r.int(10000, 99999))]);
    let s = y;
    if (r.bool(0.85)) {
      s += '-' + (r.bool(0.85) ? pad(month(), 2) : String(month()));
      if (r.bool(0.85)) s += '-' + (r.bool(0.85) ? pad(day(), 2) : String(day()));
    }
    if (r.bool(0.6)) {
      s += r.pick(['T', 'T', 't', ' ', '  ', '_']) + pad(r.pick([r.int(0, 23), 24, r.int(0, 30)]), 2) + ':' + pad(r.pick([r.int(0, 59), 0, 60]), 2);
      if (r.bool(0.6)) {
        s += ':' + pad(r.pick([r.int(0, 59), 0, 60]), 2);
        if (r.bool(0.5)) s += r.pick(['.', ',']) + String(r.int(0, 999999999)).padStart(9, '0').slice(0, r.int(0, 10));
      }
      if (r.bool(0.6)) s += r.pick(['Z', 'z', '+00:00', '-05:30', '+0530', '+05', '+24:00', '-23:59', '+5:30', ' Z', offset()]);
    } else if (r.bool(0.1)) {
      s += r.pick(['Z', 'T', 'z', ' ', '.']);
    }
    return s;
  };
  const legacy = () => {
    const y = year();
    const m = month();
    const d = day();
    const shapes = [
      () => `${monthName()}${sp()}${d}${r.pick([' ', ', ', ','])}${y}`,
      () => `${dayName()}${sp()}${monthName()}${sp()}${d}${sp()}${y}${r.bool(0.6) ? sp() + hms() : ''}${r.bool(0.5) ? sp() + offset() : ''}`,
      () => `${dayName()}${r.pick([', ', ' '])}${d}${sp()}${monthName()}${sp()}${y}${sp()}${hms()}${r.bool(0.7) ? sp() + offset() : ''}`,
      () => `${d}${sp()}${monthName()}${sp()}${y}`,
      () => `${d}-${monthName()}-${y}`,
      () => `${y}${sp()}${monthName()}${sp()}${d}`,
      () => `${y}-${m}-${d}${r.bool(0.6) ? sp() + hms() : ''}`,
      () => `${m}/${d}/${y}${r.bool(0.5) ? sp() + hms() : ''}`,
      () => `${d}.${m}.${y}`,
      () => `${y}/${pad(m, 2)}/${pad(d, 2)}${r.bool(0.5) ? sp() + hms() : ''}${r.bool(0.3) ? sp() + offset() : ''}`,
      () => `${m}-${d}-${y}`,
      () => `${hms()}${sp()}${monthName()}${sp()}${d}${sp()}${y}`,
      () => `${y}`,
      () => String(r.int(-100, 1000000)),
      () => String(r.int(0, 99)),
      () => `${monthName()}${sp()}${y}`,
      () => `${monthName()}${sp()}${d}`,
      () => `${y}-${pad(m, 2)}-${pad(d, 2)}${sp()}${hms()}${r.bool(0.5) ? sp() + offset() : ''}`,
      () => new Date(r.int(-1e13, 1e13))[r.pick(['toString', 'toUTCString', 'toISOString', 'toDateString', 'toGMTString'])](),
      () => `${r.pick(SPACES)}${iso()}${r.pick(['', ...SPACES])}`,
      () => `${iso()}${r.pick(JUNK)}`,
      () => `${r.pick(JUNK)}${legacy2()}`,
    ];
    const legacy2 = () => `${monthName()} ${d} ${y}`;
    return r.pick(shapes)();
  };
  // Token soup: the grammar's pieces in any order, with any separators.
  const soup = () => {
    const pieces = [
      () => String(r.int(0, 99)),
      () => String(r.int(0, 9999)),
      () => String(r.int(0, 1e10)),
      () => pad(r.int(0, 59), 2),
      monthName,
      dayName,
      hms,
      offset,
      () => r.pick(ZONES),
      () => r.pick(['AM', 'PM', 'T', 't', 'of', 'the', 'x']),
      () => r.pick(JUNK),
      () => r.pick(['(', ')', '()', '(a(b)c)']),
    ];
    const n = r.int(1, 7);
    let s = '';
    for (let i = 0; i < n; i++) s += (i ? r.pick([' ', '', '-', ',', ':', '.', '/', sp()]) : '') + r.pick(pieces)();
    return s;
  };
  return { iso, legacy, soup };
}

function generate(count, seed) {
  const r = rng(seed);
  const g = makeGenerators(r);
  const out = [];
  while (out.length < count) {
    const shape = r.pick(['iso', 'iso', 'legacy', 'legacy', 'legacy', 'soup']);
    out.push(g[shape]());
  }
  return out;
}

function crateParse(strings) {
  const input = strings.map((s) => JSON.stringify(s)).join('\n') + '\n';
  const text = execFileSync('cargo', ['run', '-q', '--release', '-p', 'onelastai-models', '--example', 'date_parse'], {
    cwd: ROOT,
    input,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  return text.trimEnd().split('\n');
}

function main() {
  const { count, seed, minAgreement, show } = args();
  const strings = generate(count, seed);
  const got = crateParse(strings);
  if (got.length !== strings.length) throw new Error(`date_parse answered ${got.length} lines for ${strings.length}`);
  const misses = [];
  let valid = 0;
  strings.forEach((s, i) => {
    const want = String(Date.parse(s));
    if (want !== 'NaN') valid++;
    if (want !== got[i]) misses.push({ s, want, got: got[i] });
  });
  const agreement = (100 * (strings.length - misses.length)) / strings.length;
  console.log(
    `date strings: ${strings.length} (seed ${seed}), ${valid} valid for V8, ` +
      `${strings.length - misses.length} agree (${agreement.toFixed(2)}%), ${misses.length} differ`
  );
  for (const m of misses.slice(0, show)) {
    console.log(`  ${JSON.stringify(m.s)}: V8 ${m.want}, crate ${m.got}`);
  }
  if (agreement < minAgreement) process.exit(1);
}

if (require.main === module) main();

module.exports = { generate, generators: makeGenerators };
