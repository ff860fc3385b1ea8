import autocannon from 'autocannon';

export interface LoadResult {
  label: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

/** Drives one URL with autocannon for a fixed duration and reports req/s and latency percentiles (ms). */
export async function load(
  label: string,
  url: string,
  options: { connections?: number; seconds?: number; headers?: Record<string, string>; method?: 'GET' | 'POST'; body?: string } = {},
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections ?? 10,
    duration: options.seconds ?? 5,
    headers: options.headers,
    method: options.method ?? 'GET',
    body: options.body,
  });
  return {
    label,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
  };
}

export function printTable(rows: LoadResult[], baseline: LoadResult): void {
  console.log('| case | req/s | p50 ms | p99 ms | non-2xx | req/s vs baseline |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    const ratio = (r.requestsPerSecond / baseline.requestsPerSecond).toFixed(2);
    console.log(`| ${r.label} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${ratio}× |`);
  }
}
