import { connect } from 'node:net';
import { Readable } from 'node:stream';
import type { TestCollector } from './kit.js';

/** How a test request reaches a collector: Fastify's `inject()`, or a real socket on 127.0.0.1. */
export type Transport = 'inject' | 'http';

/** Both transports, for `it.each` / `describe.each`. */
export const TRANSPORTS: readonly Transport[] = ['inject', 'http'];

/** A request as a test states it; the transports send exactly these bytes. */
export interface TestRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body without a Content-Length: chunked over HTTP, a stream through inject. */
  stream?: boolean;
  /**
   * Over HTTP, send only the head and wait for the answer: for a body the collector must refuse
   * from its declared size alone. Writing a body the server will not read races its close (the
   * write fails with EPIPE and may take the unread answer with it), so the test would be flaky.
   */
  headOnly?: boolean;
}

/** The parts of an answer the tests look at. */
export interface TestResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/** Sends `req` to `c` over `transport` (HTTP needs a collector started with `listen: true`). */
export async function send(
  c: TestCollector,
  transport: Transport,
  req: TestRequest,
): Promise<TestResponse> {
  if (transport === 'http') return sendRaw(c.url, req);
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const res = await c.app.inject({
    method: (req.method ?? 'POST') as 'POST',
    url: req.path,
    headers: req.headers ?? {},
    ...(body && { payload: req.stream ? Readable.from([body]) : body }),
  });
  const headers = Object.fromEntries(
    Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
  );
  return response(res.statusCode, headers, res.body);
}

const END_CHUNKS = Buffer.from('\r\n0\r\n\r\n');

/** HTTP/1.1 over a plain socket, so a test can send bytes `fetch` refuses to (bad lengths, raw bodies). */
function sendRaw(base: string, req: TestRequest): Promise<TestResponse> {
  const { hostname, port } = new URL(base);
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const headers: Record<string, string> = { host: `${hostname}:${port}`, connection: 'close' };
  const given = Object.fromEntries(
    Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  if (req.stream) headers['transfer-encoding'] = 'chunked';
  else if (
    body &&
    given['content-length'] === undefined &&
    given['transfer-encoding'] === undefined
  )
    headers['content-length'] = String(body.length);
  Object.assign(headers, given);
  const head = `${req.method ?? 'POST'} ${req.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (closed: boolean, error?: Error) => {
      if (settled) return;
      let parsed: TestResponse | null;
      try {
        parsed = parseResponse(Buffer.concat(chunks), closed);
      } catch (parseError) {
        parsed = null;
        closed = true;
        error = parseError as Error;
      }
      if (parsed) resolve(parsed);
      else if (closed) reject(error ?? new Error('the connection closed before a full answer'));
      else return;
      settled = true;
      socket.destroy();
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      settle(false);
    });
    socket.on('end', () => settle(true));
    socket.on('error', (error) => settle(true, error));
    socket.on('connect', () => {
      socket.write(head);
      if (!body || req.headOnly) return;
      if (!req.stream) socket.write(body);
      else
        socket.write(
          Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, END_CHUNKS]),
        );
    });
  });
}

/** Parses one HTTP/1.1 answer (skipping 1xx), or returns null while it is incomplete. */
function parseResponse(data: Buffer, closed: boolean): TestResponse | null {
  let start = 0;
  for (;;) {
    const end = data.indexOf('\r\n\r\n', start);
    if (end === -1) return null;
    const [statusLine = '', ...lines] = data.subarray(start, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
    if (status >= 100 && status < 200) {
      start = end + 4;
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (headers['transfer-encoding'] !== undefined)
      throw new Error('this test client does not decode chunked answers');
    const rest = data.subarray(end + 4);
    const length = headers['content-length'];
    if (length === undefined) return closed ? response(status, headers, rest.toString()) : null;
    if (rest.length < Number(length)) return null;
    return response(status, headers, rest.subarray(0, Number(length)).toString());
  }
}

function response(status: number, headers: Record<string, string>, text: string): TestResponse {
  return { status, headers, text, json: <T>() => JSON.parse(text) as T };
}
