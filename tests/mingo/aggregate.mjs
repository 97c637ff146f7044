// Runs one MongoDB aggregation pipeline in mingo (an independent JavaScript
// implementation of MongoDB's query and aggregation language) over the
// documents it is given, for the server's statistics tests: FerretDB 1.24
// cannot run the pipelines the server sends to MongoDB.
//
// stdin:  {"collection": name, "pipeline": [...], "collections": {name: [docs]}}
// stdout: [result documents]
// Dates travel as {"$date": <epoch ms>} both ways (ObjectIds arrive as hex
// strings); `$unionWith` reads the other collections of the input.
import { Aggregator } from 'mingo';

const revive = (_, v) =>
  v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof v.$date === 'number' ? new Date(v.$date) : v;

function dates(v) {
  if (v instanceof Date) return { $date: v.getTime() };
  if (Array.isArray(v)) return v.map(dates);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dates(x)]));
  return v;
}

let text = '';
for await (const chunk of process.stdin) text += chunk;
const input = JSON.parse(text, revive);
const collections = input.collections ?? {};
const source = collections[input.collection] ?? [];
const result = new Aggregator(input.pipeline, { collectionResolver: (name) => collections[name] ?? [] }).run(source);
process.stdout.write(JSON.stringify(dates(result)));
