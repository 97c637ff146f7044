// The package's side of the server/package parity test
// (crates/server/tests/api/messages.rs, run by tools/test-server.sh): reads on
// stdin what the server answered for every invalid vector,
//   [{ collection, input, now, answers: { en: [FieldError], fr: [FieldError] } }]
// (each server error with `params` and `userMessage`), validates the same
// input with the built package (pkg/, no dependencies) and prints
//   { templates, compared, diffs: [text] }
// where `templates` are the package's message templates (pkg/messages.js, for
// the Rust side to compare with the models crate's: a stale package shows)
// and each diff is a server error whose params differ from the package's own
// error on the same path and kind, or whose userMessage differs from the
// package's formatError, in that locale, of the package's error or of the
// server's error itself.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import * as pkg from '../../pkg/node.js';
import { messageTemplates } from '../../pkg/messages.js';

const cases = JSON.parse(readFileSync(0, 'utf8'));
const diffs = [];
let compared = 0;
for (const { collection, input, now, answers } of cases) {
  const result = pkg.validate(collection, input, { now });
  const mine = result.ok ? [] : result.errors;
  for (const [locale, errors] of Object.entries(answers)) {
    for (const server of errors) {
      const tag = `${collection} ${JSON.stringify(server.path)} ${server.kind} [${locale}]`;
      const own = mine.find((e) => e.path === server.path && e.kind === server.kind);
      if (!own) {
        diffs.push(`${tag}: the package reports no such error`);
        continue;
      }
      compared++;
      if (!isDeepStrictEqual(server.params, own.params)) {
        diffs.push(`${tag}: params ${JSON.stringify(server.params)} (server) != ${JSON.stringify(own.params)} (package)`);
      }
      const { userMessage, ...plain } = server;
      const fromOwn = pkg.formatError(own, { locale });
      const fromServer = pkg.formatError(plain, { locale });
      if (userMessage !== fromOwn || userMessage !== fromServer) {
        diffs.push(`${tag}: server ${JSON.stringify(userMessage)}, package ${JSON.stringify(fromOwn)} (of the server's error: ${JSON.stringify(fromServer)})`);
      }
    }
  }
}
process.stdout.write(JSON.stringify({ templates: messageTemplates, compared, diffs }));
