// The two local servers of web.js, both on 127.0.0.1: the page server (the benchmark pages and
// the SDKs' script files, with the headers that make the page cross-origin isolated) and the
// sink (every SDK's collector, on another origin: 200 `{}` to anything, permissive CORS).
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * The page server. `routes` maps a path to `{ type, body }` (body a string or Buffer, or a
 * function of the sink's origin returning one). COOP same-origin + COEP require-corp give the
 * page `crossOriginIsolated`, and so performance.now() its finer (5 µs) resolution.
 */
export async function startPageServer(routes, sinkOrigin) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const route = routes.get(path);
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    };
    if (!route) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    const body = typeof route.body === 'function' ? route.body(sinkOrigin) : route.body;
    res.writeHead(200, { ...headers, 'Content-Type': route.type }).end(body);
  });
  return listen(server);
}

/**
 * The sink. It answers 200 `{}` (or `json(path)` when that returns something) to every request,
 * with CORS headers echoing the origin and whatever headers a preflight asks for. It records
 * each request's method and path, and counts the occurrences of `marker` in request bodies
 * (gunzipped when gzip), so the harness can tell when an SDK has delivered its events.
 */
export async function startSink(marker, json = () => undefined) {
  const requests = [];
  let delivered = 0;
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const origin = req.headers.origin;
    const headers = {
      'Access-Control-Allow-Origin': origin ?? '*',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers':
        req.headers['access-control-request-headers'] ?? 'content-type',
      'Access-Control-Max-Age': '600',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      Vary: 'Origin',
    };
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method, path });
      if (req.method === 'POST') delivered += countMarker(Buffer.concat(chunks), marker);
      if (req.method === 'OPTIONS') {
        res.writeHead(204, headers).end();
        return;
      }
      const body = json(path) ?? {};
      res
        .writeHead(200, { ...headers, 'Content-Type': 'application/json' })
        .end(JSON.stringify(body));
    });
    req.on('error', () => {});
  });
  const { origin, close } = await listen(server);
  return {
    origin,
    close,
    /** The requests since the last call, and the marked events delivered since then. */
    take() {
      const taken = { requests: requests.splice(0), delivered };
      delivered = 0;
      return taken;
    },
    delivered: () => delivered,
  };
}

function countMarker(buffer, marker) {
  let text;
  try {
    text = (buffer[0] === 0x1f && buffer[1] === 0x8b ? gunzipSync(buffer) : buffer).toString();
  } catch {
    return 0;
  }
  let n = 0;
  for (let i = text.indexOf(marker); i !== -1; i = text.indexOf(marker, i + marker.length)) n++;
  return n;
}

async function listen(server) {
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
