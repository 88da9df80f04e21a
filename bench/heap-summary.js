#!/usr/bin/env node
// Summarises a V8 heap snapshot (.heapsnapshot, e.g. from `npm run bench:tsdb:prom --
// --heap-snapshot`): total self size and count per node type and constructor/name, largest
// first, so "where does the memory per series go" has an answer. Self sizes only (no retained
// sizes); strings are grouped as one row per type.
// Usage: node bench/heap-summary.js <file.heapsnapshot> [rows=30] [divisor, e.g. series count]
import { readFileSync } from 'node:fs';

const [file, rowsArg, divArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/heap-summary.js <file.heapsnapshot> [rows] [divisor]');
  process.exit(2);
}
const snap = JSON.parse(readFileSync(file, 'utf8'));
const fields = snap.snapshot.meta.node_fields;
const types = snap.snapshot.meta.node_types[0];
const F = fields.length;
const iType = fields.indexOf('type'),
  iName = fields.indexOf('name'),
  iSize = fields.indexOf('self_size');
const nodes = snap.nodes,
  strings = snap.strings;
const rows = new Map();
let total = 0;
for (let i = 0; i < nodes.length; i += F) {
  const type = types[nodes[i + iType]];
  const size = nodes[i + iSize];
  total += size;
  const key =
    type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number'
      ? type
      : `${type} ${strings[nodes[i + iName]]}`.slice(0, 90);
  const r = rows.get(key) ?? { size: 0, count: 0 };
  r.size += size;
  r.count++;
  rows.set(key, r);
}
const div = Number(divArg ?? 1);
const unit = div > 1 ? `B per ${div.toLocaleString()}` : 'bytes';
console.log(
  `total self size ${(total / 1e6).toFixed(1)} MB${div > 1 ? ` = ${Math.round(total / div)} B per unit` : ''}`,
);
console.log(`${unit.padStart(14)} ${'count'.padStart(10)}  type and name`);
for (const [k, r] of [...rows].sort((a, b) => b[1].size - a[1].size).slice(0, Number(rowsArg ?? 30))) {
  console.log(
    `${(div > 1 ? (r.size / div).toFixed(0) : r.size.toLocaleString()).padStart(14)} ${r.count.toLocaleString().padStart(10)}  ${k}`,
  );
}
