import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';

/** One POST the browser sent to the collector, as the proxy saw it. */
export interface SeenRequest {
  path: string;
  contentType: string;
  /** `Sec-Fetch-Mode`: `no-cors` for `navigator.sendBeacon`, `cors` for the SDK's fetch. */
  mode: string;
  /** Body size on the wire, in bytes. */
  bytes: number;
  /** messageIds of the events in the body ([] if the body could not be read). */
  messageIds: string[];
  /** The collector's answer; 0 while it is pending. */
  status: number;
}

/** A transparent HTTP proxy in front of the collector that records every ingest request. */
export interface CountingProxy {
  url: string;
  /** POSTs in the order they arrived (CORS preflights are forwarded but not listed). */
  requests: SeenRequest[];
  /** How many requests carried this messageId. */
  sends(messageId: string): number;
  close(): Promise<void>;
}

/** Starts the proxy on 127.0.0.1, forwarding everything to `target` unchanged. */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const proxy: CountingProxy = {
    url: '',
    requests: [],
    sends: (id) => proxy.requests.filter((r) => r.messageIds.includes(id)).length,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      // Listed before forwarding: the collector stores before it answers, so a test that sees
      // an event stored must also find the request that carried it.
      const seen: SeenRequest | undefined =
        req.method === 'POST'
          ? {
              path: req.url ?? '',
              contentType: req.headers['content-type'] ?? '',
              mode: String(req.headers['sec-fetch-mode'] ?? ''),
              bytes: body.length,
              messageIds: messageIds(body, req.headers),
              status: 0,
            }
          : undefined;
      if (seen) proxy.requests.push(seen);
      forward(target, req, body, (status, headers, answer) => {
        if (seen) seen.status = status;
        res.writeHead(status, headers).end(answer);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

function forward(
  target: string,
  req: IncomingMessage,
  body: Buffer,
  done: (status: number, headers: IncomingHttpHeaders, body: Buffer) => void,
): void {
  const url = new URL(req.url ?? '/', target);
  const upstream = request(
    url,
    { method: req.method, headers: { ...req.headers, host: url.host } },
    (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => done(answer.statusCode ?? 502, answer.headers, Buffer.concat(chunks)));
    },
  );
  upstream.on('error', () => done(502, {}, Buffer.alloc(0)));
  upstream.end(body);
}

/** The messageIds in a batch or single-event body, whatever its encoding. */
function messageIds(body: Buffer, headers: IncomingHttpHeaders): string[] {
  try {
    const encoding = headers['content-encoding'];
    const raw =
      encoding === 'gzip' ? gunzipSync(body) : encoding === 'deflate' ? inflateSync(body) : body;
    const parsed = JSON.parse(raw.toString('utf8')) as { batch?: unknown; messageId?: unknown };
    const events = Array.isArray(parsed.batch) ? (parsed.batch as unknown[]) : [parsed];
    return events.flatMap((e) => {
      const id = (e as { messageId?: unknown } | null)?.messageId;
      return typeof id === 'string' ? [id] : [];
    });
  } catch {
    return [];
  }
}
