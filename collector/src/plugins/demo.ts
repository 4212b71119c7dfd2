import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SpoorError } from '../errors.js';

/** What the demo shop needs: where its files are, the web SDK bundle, and the key its pages use. */
export interface DemoOptions {
  /** Directory of the demo shop's static files (the repository's `examples/web`). */
  dir: string;
  /** The web SDK's script-tag bundle (`sdk-web/dist/spoor.js`), served at `/spoor.js`. */
  sdkFile: string;
  /** Write key substituted for `%SPOOR_WRITE_KEY%` in the shop's HTML pages. */
  writeKey: string;
}

/** Where the demo shop is served. */
export const DEMO_PATH = '/demo/';

/** The placeholder in the demo's HTML that becomes the write key. */
export const WRITE_KEY_PLACEHOLDER = '%SPOOR_WRITE_KEY%';

/**
 * The only file types served. Anything else under the demo directory is answered 404, so a stray
 * file (an editor backup, a `.env`) is never handed out with a guessed type.
 */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Serves the demo shop under `/demo/` and the web SDK bundle at `/spoor.js`, GET and HEAD only,
 * with `cache-control: no-cache` so an edited file or a rebuilt SDK shows on the next reload.
 * Files are read per request: the demo is small and a development tool, not a CDN.
 */
export async function demoRoutes(app: FastifyInstance, options: DemoOptions): Promise<void> {
  let root: string;
  try {
    root = await realpath(options.dir);
  } catch {
    throw new Error(`The demo shop's directory ${options.dir} does not exist`);
  }
  const keyInScript = jsStringContent(options.writeKey);
  let warnedMissingSdk = false;

  app.get('/demo', (_request, reply) => reply.redirect(DEMO_PATH, 301));

  app.get('/demo/*', async (request, reply) => {
    const relative = demoFilePath(request.url);
    const file = relative === null ? null : await servableFile(root, relative);
    if (file === null) {
      reply.callNotFound();
      return reply;
    }
    let body = await readFile(file);
    const type = CONTENT_TYPES[extname(file)] ?? '';
    if (type.startsWith('text/html')) {
      body = Buffer.from(body.toString('utf8').replaceAll(WRITE_KEY_PLACEHOLDER, keyInScript));
    }
    return send(reply, type, body);
  });

  app.get('/spoor.js', async (request, reply) => {
    const body = await readIfFile(options.sdkFile);
    if (body === null) {
      if (!warnedMissingSdk) {
        request.log.warn({ file: options.sdkFile }, 'web SDK bundle missing: run `pnpm build`');
        warnedMissingSdk = true;
      }
      throw new SpoorError(
        'not_found',
        'The web SDK bundle is not built yet: run `pnpm build`, then reload',
      );
    }
    warnedMissingSdk = false;
    return send(reply, CONTENT_TYPES['.js'] ?? '', body);
  });

  // Browsers ask for the map only with developer tools open; without one, a plain 404.
  app.get('/spoor.js.map', async (_request, reply) => {
    const body = await readIfFile(`${options.sdkFile}.map`);
    if (body === null) {
      reply.callNotFound();
      return reply;
    }
    return send(reply, CONTENT_TYPES['.json'] ?? '', body);
  });
}

/**
 * Maps a request URL to a path relative to the demo directory, or `null` when it must not be
 * served: anything that decodes to `..`, `.`, a dotfile, an empty segment, a backslash, a colon
 * or a control character (NUL included) is refused before the file system is asked. Paths
 * without an extension are the single-page app's routes and get `index.html`.
 */
export function demoFilePath(url: string): string | null {
  const pathname = url.split('?', 1)[0] ?? '';
  if (!pathname.startsWith(DEMO_PATH)) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(DEMO_PATH.length));
  } catch {
    return null;
  }
  if (relative === '') return 'index.html';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f\\:]/.test(relative)) return null;
  const segments = relative.split('/');
  if (segments.some((s) => s === '' || s.startsWith('.'))) return null;
  const last = segments[segments.length - 1] ?? '';
  return last.includes('.') ? segments.join('/') : 'index.html';
}

/** The absolute path of a regular file of a served type inside `root`, symlinks resolved. */
async function servableFile(root: string, relative: string): Promise<string | null> {
  if (CONTENT_TYPES[extname(relative)] === undefined) return null;
  let real: string;
  try {
    real = await realpath(join(root, relative));
  } catch {
    return null;
  }
  // A symlink inside the directory must not lead out of it.
  if (!real.startsWith(root + sep)) return null;
  return (await isFile(real)) ? real : null;
}

async function readIfFile(file: string): Promise<Buffer | null> {
  if (!(await isFile(file))) return null;
  try {
    return await readFile(file);
  } catch {
    return null;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function send(reply: FastifyReply, type: string, body: Buffer): FastifyReply {
  return reply
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .type(type)
    .send(body);
}

/** The key as the inside of a double-quoted JS string that cannot end the `<script>` element. */
function jsStringContent(value: string): string {
  return JSON.stringify(value).slice(1, -1).replace(/</g, '\\u003c');
}
