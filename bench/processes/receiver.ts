import { createServer } from 'node:http';

/**
 * The webhook receiver of `npm run bench`: answers every POST with 200 at once and remembers when
 * each delivery (its `webhook-id`) first arrived, in ms since the epoch. GET /stats returns them and
 * `DELETE /stats` forgets them. Plain POSTs from the load generator (the baseline) are only counted.
 */
const firstArrival = new Map<string, number>();
let posts = 0;

const server = createServer((req, res) => {
  if (req.method === 'POST') {
    req.resume();
    req.on('end', () => {
      posts += 1;
      const id = req.headers['webhook-id'];
      if (typeof id === 'string' && !firstArrival.has(id)) firstArrival.set(id, Date.now());
      res.statusCode = 200;
      res.end('{}');
    });
    return;
  }
  if (req.method === 'DELETE') {
    firstArrival.clear();
    posts = 0;
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ posts, deliveries: firstArrival.size, arrivals: req.url === '/stats?arrivals=1' ? [...firstArrival.values()] : undefined }));
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
