import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCollector, loadConfig } from '../src/index.js';
import { demoFilePath } from '../src/plugins/demo.js';
import { ADMIN_TOKEN, WRITE_KEY, startCollector, type TestCollector } from './kit.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request with the path sent byte for byte: fetch() would resolve `..` before sending. */
function raw(base: string, path: string, method = 'GET'): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const SECRET = 'TOP-SECRET-do-not-serve';
const INDEX =
  '<!doctype html><script>s.config={writeKey:"%SPOOR_WRITE_KEY%"};</script><main></main>';
const CSS = 'main { color: red; }\n';
const SCRIPT = 'export const key = "%SPOOR_WRITE_KEY%";\n';

describe('demo shop', () => {
  let tmp: string;
  let dir: string;
  let sdkFile: string;
  let c: TestCollector;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'spoor-demo-'));
    dir = join(tmp, 'web');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'shop.css'), CSS);
    writeFileSync(join(dir, 'shop.js'), SCRIPT);
    writeFileSync(join(dir, 'nested', 'page.html'), '<p>nested %SPOOR_WRITE_KEY%</p>');
    writeFileSync(join(dir, 'notes.txt'), `${SECRET} (a type that is not served)`);
    writeFileSync(join(dir, '.secret.json'), `"${SECRET}"`);
    writeFileSync(join(tmp, 'secret.json'), `"${SECRET}"`);
    symlinkSync(join(tmp, 'secret.json'), join(dir, 'escape.json'));
    sdkFile = join(tmp, 'sdk', 'spoor.js');
    c = await startCollector({
      listen: true,
      ingestThreads: 1,
      demo: { dir, sdkFile, writeKey: 'wk_demo-1' },
    });
  });
  afterAll(async () => {
    await c.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('serves index.html with the write key in the snippet, uncached', async () => {
    const res = await raw(c.url, '/demo/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toBe(INDEX.replace('%SPOOR_WRITE_KEY%', 'wk_demo-1'));
  });

  it('redirects /demo to /demo/ and answers single-page routes with index.html', async () => {
    const redirect = await raw(c.url, '/demo');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/demo/');
    for (const path of ['/demo/cart', '/demo/login?next=cart', '/demo/orders/o-1']) {
      const res = await raw(c.url, path);
      expect(res.status, path).toBe(200);
      expect(res.body, path).toContain('writeKey:"wk_demo-1"');
    }
  });

  it('serves other files with their content type; only HTML gets the key', async () => {
    const css = await raw(c.url, '/demo/shop.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toBe(CSS);
    const js = await raw(c.url, '/demo/shop.js?v=1');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe(SCRIPT);
    const nested = await raw(c.url, '/demo/nested/page.html');
    expect(nested.body).toBe('<p>nested wk_demo-1</p>');
  });

  it('answers 404 for missing files and for types it does not serve', async () => {
    for (const path of ['/demo/missing.css', '/demo/nested/missing.html', '/demo/notes.txt']) {
      const res = await raw(c.url, path);
      expect(res.status, path).toBe(404);
      expect(JSON.parse(res.body), path).toMatchObject({ code: 'not_found' });
    }
  });

  it('serves the SDK bundle from sdkFile once it exists, and says how to build it before', async () => {
    const missing = await raw(c.url, '/spoor.js');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({
      code: 'not_found',
      message: expect.stringContaining('pnpm build'),
    });
    expect((await raw(c.url, '/spoor.js.map')).status).toBe(404);

    mkdirSync(join(tmp, 'sdk'), { recursive: true });
    writeFileSync(sdkFile, '/* sdk v1 */');
    writeFileSync(`${sdkFile}.map`, '{"version":3}');
    try {
      const res = await raw(c.url, '/spoor.js');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toBe('/* sdk v1 */');
      // A rebuild shows on the next request: nothing is cached in the process.
      writeFileSync(sdkFile, '/* sdk v2 */');
      expect((await raw(c.url, '/spoor.js')).body).toBe('/* sdk v2 */');
      const map = await raw(c.url, '/spoor.js.map');
      expect(map.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(map.body).toBe('{"version":3}');
    } finally {
      unlinkSync(sdkFile);
      unlinkSync(`${sdkFile}.map`);
    }
  });

  it.each([
    '/demo/../secret.json',
    '/demo/nested/../../secret.json',
    '/demo/%2e%2e/secret.json',
    '/demo/%2E%2E%2Fsecret.json',
    '/demo/..%2fsecret.json',
    '/demo/..%5csecret.json',
    '/demo/%5c..%5csecret.json',
    '/demo/..\\secret.json',
    '/demo/nested\\..\\..\\secret.json',
    '/demo/%2fetc%2fpasswd',
    '/demo//etc/passwd',
    '/demo/shop.css%00',
    '/demo/index.html%00.json',
    '/demo/%00',
    '/demo/.secret.json',
    '/demo/%2esecret.json',
    '/demo/escape.json',
    '/demo/C:%5cWindows%5cwin.ini',
    '/demo/%252e%252e/secret.json',
    '/demo/%e0%a4%a',
  ])('refuses %s', async (path) => {
    const res = await raw(c.url, path);
    expect(res.status).toBe(path === '/demo/%e0%a4%a' ? 400 : 404);
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain('root:');
  });

  it('answers HEAD like GET without a body', async () => {
    const get = await raw(c.url, '/demo/');
    const head = await raw(c.url, '/demo/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(get.body)));
    expect(head.body).toBe('');
    expect((await raw(c.url, '/demo/missing.css', 'HEAD')).status).toBe(404);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('refuses %s', async (method) => {
    for (const path of ['/demo/', '/demo/index.html', '/spoor.js']) {
      const res = await raw(c.url, path, method);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).not.toContain('wk_demo-1');
    }
  });

  it('escapes a write key that could end the script element', async () => {
    const nasty = await startCollector({
      listen: true,
      ingestThreads: 1,
      demo: { dir, sdkFile, writeKey: 'k"</script><script>alert(1)//' },
    });
    try {
      const res = await raw(nasty.url, '/demo/');
      expect(res.body).not.toContain('</script><script>alert');
      expect(res.body).toContain('writeKey:"k\\"\\u003c/script>\\u003cscript>alert(1)//"');
    } finally {
      await nasty.close();
    }
  });
});

// On Linux a backslash is an ordinary file-name character, so the HTTP cases above cannot tell
// whether backslashes are refused; the mapping itself can.
describe('demoFilePath', () => {
  it.each([
    ['/demo/', 'index.html'],
    ['/demo/cart?x=1', 'index.html'],
    ['/demo/orders/o-1', 'index.html'],
    ['/demo/shop.css?v=2', 'shop.css'],
    ['/demo/nested/page.html', 'nested/page.html'],
    ['/demo/caf%C3%A9.css', 'café.css'],
    ['/demo/..%5csecret.json', null],
    ['/demo/nested\\..\\..\\secret.json', null],
    ['/demo/a%5cb', null],
    ['/demo/shop.css%00', null],
    ['/demo/shop%0a.css', null],
    ['/demo/C:%5cwin.ini', null],
    ['/demo/c:secret.json', null],
    ['/demo/../secret.json', null],
    ['/demo/a/./b.css', null],
    ['/demo/.env', null],
    ['/demo/nested/', null],
    ['/demo/%E0%A4%A', null],
    ['/other/index.html', null],
    ['/demoindex.html', null],
  ])('%s → %s', (url, expected) => {
    expect(demoFilePath(url)).toBe(expected);
  });
});

describe('demo shop switched off', () => {
  it('serves nothing without the demo option', async () => {
    const c = await startCollector({ listen: true, ingestThreads: 1 });
    try {
      for (const path of ['/demo/', '/demo/index.html', '/demo', '/spoor.js']) {
        expect((await raw(c.url, path)).status, path).toBe(404);
      }
      expect((await raw(c.url, '/healthz')).status).toBe(200);
    } finally {
      await c.close();
    }
  });

  it('refuses to start on a demo directory that does not exist', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'spoor-demo-'));
    const app = buildCollector({
      dataDir,
      writeKeys: [{ key: WRITE_KEY, source: 'web', origins: null }],
      adminToken: ADMIN_TOKEN,
      logger: false,
      ingestThreads: 1,
      demo: { dir: join(dataDir, 'nowhere'), sdkFile: join(dataDir, 'spoor.js'), writeKey: 'k' },
    });
    try {
      await expect(app.ready()).rejects.toThrow(/demo shop's directory .*nowhere does not exist/);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reads SPOOR_DEMO: 1 on, 0 off, unset decided by the credentials', () => {
    const demo = (value?: string) => {
      const result = loadConfig(value === undefined ? {} : { SPOOR_DEMO: value });
      return result.ok ? result.value.demo : result.error;
    };
    expect(demo('1')).toBe(true);
    expect(demo('0')).toBe(false);
    expect(demo()).toBeNull();
    expect(demo('yes')).toMatch(/SPOOR_DEMO/);
  });
});
