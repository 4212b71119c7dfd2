import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request. */
export type Fault =
  | { kind: 'forward' }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'timeout' }
  | { kind: 'reset' }
  /** Forwards (so the collector stores the events), then drops the connection unanswered. */
  | { kind: 'accept-drop' };

/** An HTTP proxy in front of a real collector that misbehaves on cue. */
export interface FaultProxy {
  url: string;
  /** Faults for the next requests, in order; afterwards requests are forwarded. */
  script(faults: Fault[]): void;
  requests: number;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 forwarding to `target`. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let faults: Fault[] = [];
  const held: ServerResponse[] = [];
  const proxy: FaultProxy = {
    url: '',
    requests: 0,
    script: (next) => {
      faults = [...next];
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    proxy.requests++;
    const fault = faults.shift() ?? { kind: 'forward' };
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      if (fault.kind === 'status') {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfter) headers['retry-after'] = fault.retryAfter;
        res
          .writeHead(fault.status, headers)
          .end(JSON.stringify({ code: 'injected', message: 'fault' }));
      } else if (fault.kind === 'timeout') {
        held.push(res);
      } else if (fault.kind === 'reset') {
        req.socket.destroy();
      } else {
        forward(target, req, Buffer.concat(body), (status, headers, answer) => {
          if (fault.kind === 'accept-drop') return req.socket.destroy();
          res.writeHead(status, headers).end(answer);
        });
      }
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
  done: (status: number, headers: Record<string, string>, body: Buffer) => void,
): void {
  const headers = { ...req.headers, host: new URL(target).host } as unknown as Record<
    string,
    string
  >;
  const upstream = request(
    new URL(req.url ?? '/', target),
    { method: req.method, headers },
    (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out: Record<string, string> = {
          'content-type': String(res.headers['content-type'] ?? 'application/json'),
        };
        if (res.headers['retry-after']) out['retry-after'] = String(res.headers['retry-after']);
        done(res.statusCode ?? 502, out, Buffer.concat(chunks));
      });
    },
  );
  upstream.on('error', () => done(502, {}, Buffer.from('{}')));
  upstream.end(body);
}
