import { appendFileSync } from 'node:fs';

/**
 * Records real request/response pairs for the spec's examples (scripts/spec-examples.ts curates
 * them into openapi/openapi.yaml). Off unless RECORD_SPEC_EXAMPLES names a JSON-lines file, e.g.
 * `RECORD_SPEC_EXAMPLES=/tmp/examples.jsonl npm run test:e2e -- test/e2e/catalog.e2e-spec.ts`.
 */
const target = process.env.RECORD_SPEC_EXAMPLES;

export interface RecordedExchange {
  method: string;
  path: string;
  status: number;
  contentType: string;
  requestBody?: unknown;
  responseBody?: unknown;
}

export function recordExchange(exchange: RecordedExchange): void {
  if (!target) return;
  appendFileSync(target, JSON.stringify(exchange) + '\n');
}
