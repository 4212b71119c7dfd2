import { isUtf8 } from 'node:buffer';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SpoorError } from '../errors.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/**
 * Body parsing for the ingest API. JSON arrives as `application/json`, or as `text/plain` from
 * `navigator.sendBeacon`, which cannot set headers; it may be gzip- or deflate-encoded. The
 * size limit applies both to the bytes on the wire and to the decompressed body, so a small
 * compressed bomb is refused as soon as it expands past the limit.
 */
export function registerBodyParser(app: FastifyInstance, maxBytes: number): void {
  app.removeAllContentTypeParsers();
  const parse = async (request: FastifyRequest, body: Buffer) => parseBody(request, body, maxBytes);
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'buffer', bodyLimit: maxBytes },
    parse,
  );
  app.addContentTypeParser('*', (_request, _payload, done) =>
    done(new SpoorError('unsupported_media_type')),
  );
}

async function parseBody(
  request: FastifyRequest,
  body: Buffer,
  maxBytes: number,
): Promise<unknown> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  let bytes = body;
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
    const decompress = encoding === 'deflate' ? inflateAsync : gunzipAsync;
    try {
      bytes = await decompress(body, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw new SpoorError('batch_too_large');
      throw new SpoorError('invalid_encoding');
    }
  } else if (encoding !== 'identity') {
    throw new SpoorError('unsupported_encoding');
  }
  if (bytes.length === 0) throw new SpoorError('empty_body');
  if (!isUtf8(bytes)) throw new SpoorError('invalid_utf8');
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SpoorError(
      'invalid_json',
      `Request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}
