#!/usr/bin/env node
'use strict';

process.env.TZ = 'UTC';

/*
 * Mongoose's answers for tests that cannot run Mongoose themselves (the
 * server's vector test, crates/server/tests/api/vectors.rs). Reads a JSON
 * array of questions on stdin and writes a JSON array of answers, in order:
 *
 *   {"kind": "expiry", "input": {...}, "start": "<ISO>", "now": "<ISO>"}
 *     The server fills an absent or null `expiryDate` with the spec's
 *     calculateExpiryDate(plan, startDate) (the cast plan; `start` is the
 *     start date the server used). Answer: {"expiryDate": "<ISO>"|null,
 *     "case": the generator's answer (valid, errors, output, deviations) for
 *     the input with that expiryDate, at `now`}. Run under TZ=UTC, as
 *     COMPATIBILITY.md (`expiry-utc`) says.
 *   {"kind": "isValid", "doc": {"status", "expiryDate"}, "at": <epoch ms>}
 *     Answer: the spec's isValid() of that subscription with the clock at `at`.
 */

const fs = require('fs');

const generator = (() => {
  const emit = process.emitWarning;
  process.emitWarning = function (w, ...rest) {
    if (String(w && w.message ? w.message : w).includes('Duplicate schema index')) return;
    return emit.call(process, w, ...rest);
  };
  try {
    return require('./generate-vectors');
  } finally {
    process.emitWarning = emit;
  }
})();
const { models, setFakeNow, clearFakeNow } = require('./schemas');

const Subscription = models.subscriptions;

// The global clock (`new Date()`, `Date.now()`) held at `ms` while `f` runs.
function atTime(ms, f) {
  const RealDate = global.Date;
  class FixedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(ms);
      else super(...args);
    }
    static now() {
      return ms;
    }
  }
  global.Date = FixedDate;
  try {
    return f();
  } finally {
    global.Date = RealDate;
  }
}

function expiry(q) {
  setFakeNow(q.now);
  let plan;
  try {
    plan = new Subscription(structuredClone(q.input)).plan;
  } finally {
    clearFakeNow();
  }
  let expiryDate = null;
  try {
    const d = Subscription.calculateExpiryDate(plan, new Date(q.start));
    if (!Number.isNaN(d.getTime())) expiryDate = d.toISOString();
  } catch {
    expiryDate = null; // 'Invalid plan': the server fills nothing
  }
  const input = expiryDate === null ? q.input : { ...q.input, expiryDate };
  const answer = generator.runCase('subscriptions', Subscription, { name: 'oracle', now: q.now, input });
  return { expiryDate, case: answer };
}

function isValid(q) {
  const doc = new Subscription({ status: q.doc.status, expiryDate: q.doc.expiryDate });
  return atTime(q.at, () => doc.isValid());
}

const questions = JSON.parse(fs.readFileSync(0, 'utf8'));
const answers = questions.map((q) => {
  if (q.kind === 'expiry') return expiry(q);
  if (q.kind === 'isValid') return isValid(q);
  throw new Error(`unknown question ${JSON.stringify(q)}`);
});
process.stdout.write(JSON.stringify(answers));
