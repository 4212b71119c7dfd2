import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the echo server received. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A small HTTP server on 127.0.0.1 for tests of `wx.request` itself. */
export interface EchoServer {
  url: string;
  received: Received[];
  /** Requests being handled right now, and the most ever at once. */
  readonly concurrent: number;
  readonly maxConcurrent: number;
  close(): Promise<void>;
}

/**
 * Starts a server that answers `?status=N` with that status, waits `?delay=ms` first, answers
 * `/text` with plain text and everything else with JSON echoing the method, path and body.
 */
export async function startEchoServer(): Promise<EchoServer> {
  const received: Received[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const server = createServer((req, res) => {
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://localhost');
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const reply = () => {
        concurrent--;
        res.statusCode = Number(url.searchParams.get('status') ?? 200);
        res.setHeader('set-cookie', 'session=abc');
        if (url.pathname === '/text') {
          res.setHeader('content-type', 'text/plain');
          res.end('plain text');
          return;
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, path: url.pathname, body }));
      };
      setTimeout(reply, Number(url.searchParams.get('delay') ?? 0));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get concurrent() {
      return concurrent;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
