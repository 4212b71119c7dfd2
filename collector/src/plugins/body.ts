import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SpoorError } from '../errors.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/**
 * Body reading for the ingest API. JSON arrives as `application/json`, or as `text/plain` from
 * `navigator.sendBeacon`, which cannot set headers; it may be gzip- or deflate-encoded. The
 * size limit applies both to the bytes on the wire and to the decompressed body, so a small
 * compressed bomb is refused as soon as it expands past the limit. The body stays bytes here:
 * decoding and parsing happen on an ingest worker (see pipeline/ingest-request.ts).
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

async function parseBody(request: FastifyRequest, body: Buffer, maxBytes: number): Promise<Buffer> {
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
  return bytes;
}
