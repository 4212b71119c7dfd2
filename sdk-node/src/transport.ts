import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Transport, TransportResult } from '@spoor/sdk-core';

const gzip = promisify(gzipCallback);

/** Bodies smaller than this go uncompressed: gzip would cost more than it saves. */
const GZIP_MIN_BYTES = 1024;
/** Most response bytes read; the collector's answers are small. */
const MAX_RESPONSE_BYTES = 1 << 20;

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  writeKey: string;
  gzip: boolean;
}

type Agents = { http: HttpAgent; https: HttpsAgent };

/** One POST; resolves with the answer or the failure, never rejects. */
function post(
  target: URL,
  payload: Buffer,
  zipped: boolean,
  headers: Record<string, string>,
  timeoutMs: number,
  agents: Agents,
): Promise<TransportResult> {
  return new Promise<TransportResult>((resolve) => {
    const secure = target.protocol === 'https:';
    const req = (secure ? httpsRequest : httpRequest)(target, {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: {
        ...headers,
        'content-length': String(payload.length),
        ...(zipped ? { 'content-encoding': 'gzip' } : {}),
      },
      timeout: timeoutMs,
    });
    let settled = false;
    const finish = (result: TransportResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (error) => finish({ ok: false, error: error.message }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
      });
      res.on('error', (error) => finish({ ok: false, error: error.message }));
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        finish({
          ok: true,
          status: res.statusCode ?? 0,
          retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    req.end(payload);
  });
}

/**
 * POSTs batches with node:http(s) over keep-alive connections, gzip-compressed, authenticated
 * with HTTP Basic (the write key as user name). It never rejects: a timeout, a reset or a
 * refused connection is a result the core retries.
 */
export function createHttpTransport(
  options: HttpTransportOptions,
): Transport & { destroy(): void } {
  const agents: Agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 4 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 4 }),
  };
  const authorization = `Basic ${Buffer.from(`${options.writeKey}:`).toString('base64')}`;
  return {
    send: async ({ url, body, headers, timeoutMs }) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return { ok: false, error: `invalid URL ${url}` };
      }
      const raw = Buffer.from(body, 'utf8');
      const zipped = options.gzip && raw.length >= GZIP_MIN_BYTES;
      // Compressed off the event loop (zlib's thread pool): a 450 KB body takes milliseconds.
      const payload = zipped ? await gzip(raw) : raw;
      return post(target, payload, zipped, { ...headers, authorization }, timeoutMs, agents);
    },
    destroy: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
