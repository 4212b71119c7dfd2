import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The script-tag bundle the lead's build writes; read per request so a rebuild is picked up. */
export const BUNDLE = new URL('../../dist/spoor.js', import.meta.url);
const PAGES = new URL('./pages/', import.meta.url);

/** JSON-serialisable SDK configuration, rendered into the snippet's `s.config`. */
export type SnippetConfig = Record<string, unknown>;

/** A static site on its own origin serving the test pages (with the snippet) and `/spoor.js`. */
export interface StaticSite {
  /** e.g. `http://127.0.0.1:41234`; also the page origin the write key must admit. */
  origin: string;
  /** Requests for `/spoor.js` served so far. */
  bundleRequests: number;
  close(): Promise<void>;
}

/**
 * The snippet from the contract, verbatim but for the config and a nonce (which only the CSP
 * page's policy looks at; elsewhere it is inert).
 */
export function snippet(config: SnippetConfig): string {
  return `<script nonce="abc">
!function(){var s=window.spoor=window.spoor||[];if(s.snippet)return;s.snippet="1";
s.config=${JSON.stringify(config)};
"track identify page screen group alias reset register unregister bind setOnce increment append unset optIn optOut flush".split(" ").forEach(function(m){s[m]=function(){s.push([m].concat([].slice.call(arguments)));return s}});
var e=document.createElement("script");e.async=!0;e.src="/spoor.js";document.head.appendChild(e)}();
</script>`;
}

/**
 * Starts the site. Routes: `/spoor.js`; `/csp.html` (with a strict Content-Security-Policy whose
 * connect-src is `connectSrc`); `/blank.html` (no snippet); any other `/<name>.html` and the SPA
 * fallback `/app/*` render `pages/app.html` or `pages/<name>.html` with the snippet.
 */
export async function startStaticSite(
  config: () => SnippetConfig,
  connectSrc: () => string,
): Promise<StaticSite> {
  const site: StaticSite = {
    origin: '',
    bundleRequests: 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    serve(site, req, res, config(), connectSrc()).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return site;
}

async function serve(
  site: StaticSite,
  req: IncomingMessage,
  res: ServerResponse,
  config: SnippetConfig,
  connectSrc: string,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const noStore = { 'cache-control': 'no-store' };
  if (path === '/spoor.js') {
    site.bundleRequests++;
    const js = await readFile(BUNDLE, 'utf8').catch(() => null);
    if (js === null) {
      res.writeHead(404, noStore).end('sdk-web/dist/spoor.js is not built');
      return;
    }
    res.writeHead(200, { ...noStore, 'content-type': 'text/javascript; charset=utf-8' }).end(js);
    return;
  }
  if (path === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  const name = path.startsWith('/app/') ? 'app' : /^\/([a-z-]+)\.html$/.exec(path)?.[1];
  const html = name
    ? await readFile(new URL(`${name}.html`, PAGES), 'utf8').catch(() => null)
    : null;
  if (html === null) {
    res.writeHead(404, noStore).end('not found');
    return;
  }
  const headers: Record<string, string> = {
    ...noStore,
    'content-type': 'text/html; charset=utf-8',
  };
  if (name === 'csp') {
    headers['content-security-policy'] =
      `default-src 'self'; script-src 'self' 'nonce-abc'; connect-src ${connectSrc}`;
  }
  res.writeHead(200, headers).end(html.replace('<!--SPOOR-->', snippet(config)));
}
