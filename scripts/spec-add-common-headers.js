'use strict';
// Declares the headers every API response may carry (rate limits; Idempotent-Replayed on replayed
// writes) on each /api/v1 response of openapi.yaml, so Swagger UI and generated clients show them.
// Idempotent: run it after adding routes. Usage: node scripts/spec-add-common-headers.js
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const file = path.join(__dirname, '..', 'openapi', 'openapi.yaml');
const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'));
const RATE = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];
const WRITE = new Set(['post', 'put', 'patch']);
const ref = (name) => doc.createNode({ $ref: `#/components/headers/${name}` });

function addHeaders(response, names) {
  if (!response || response.has('$ref')) return;
  if (!response.has('headers')) response.set('headers', doc.createNode({}));
  const headers = response.get('headers');
  for (const name of names) if (!headers.has(name)) headers.set(name, ref(name));
}

const componentNeeds = new Map();
for (const pair of doc.get('paths').items) {
  const route = String(pair.key.value ?? pair.key);
  if (!route.startsWith('/api/v1/')) continue;
  for (const op of pair.value.items) {
    const method = String(op.key.value ?? op.key);
    if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
    for (const res of op.value.get('responses').items) {
      const status = String(res.key.value ?? res.key);
      const names = [...RATE, ...(WRITE.has(method) && status.startsWith('2') ? ['Idempotent-Replayed'] : [])];
      const target = res.value.get('$ref');
      if (target) {
        const name = target.split('/').pop();
        componentNeeds.set(name, new Set([...(componentNeeds.get(name) ?? []), ...names]));
      } else addHeaders(res.value, names);
    }
  }
}
for (const [name, names] of componentNeeds) addHeaders(doc.getIn(['components', 'responses', name]), [...names]);
fs.writeFileSync(file, doc.toString({ lineWidth: 0, flowCollectionPadding: false }));
