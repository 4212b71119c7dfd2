import { randomFillSync, randomUUID } from 'node:crypto';

/** Events per request body, as a browser SDK flushing a full queue would send them. */
export const BATCH_SIZE = 100;

// A messageId is a UUID: 36 ASCII characters. Templates carry this placeholder where each
// request gets a fresh one, so every body sent is distinct without keeping a run's worth of
// bodies in memory.
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.165 Mobile Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20240301 MMWEBID/6212 MicroMessenger/8.0.48.2580(0x28003036) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87',
];

const PAGES = [
  { path: '/', title: 'Spoor Coffee — Freshly roasted, delivered' },
  { path: '/c/espresso', title: 'Espresso beans | Spoor Coffee' },
  { path: '/c/drip-bags', title: '挂耳咖啡 | Spoor Coffee' },
  { path: '/p/oat-latte-kit', title: 'Oat latte kit (12 servings) | Spoor Coffee' },
  { path: '/p/yirgacheffe-250g', title: 'Ethiopia Yirgacheffe 250 g | Spoor Coffee' },
  { path: '/search', title: 'Search results | Spoor Coffee' },
  { path: '/cart', title: 'Your cart | Spoor Coffee' },
  { path: '/checkout/shipping', title: 'Checkout — shipping | Spoor Coffee' },
];

const REFERRERS = [
  'https://www.google.com/',
  'https://www.baidu.com/link?url=Zb4mJ3xq8Qm2',
  'https://mp.weixin.qq.com/s/3kVv8Rk2yXh9cQ',
  'https://www.xiaohongshu.com/explore/65f1c2a4000000001203a7d1',
  '',
];

const CAMPAIGNS = [
  { name: 'spring_sale_2026', source: 'wechat', medium: 'social', content: 'banner_a' },
  { name: 'brand_search', source: 'baidu', medium: 'cpc', term: 'specialty coffee beans' },
  { name: 'newsletter_w12', source: 'newsletter', medium: 'email', content: 'hero_cta' },
];

const SCREENS = [
  { width: 1920, height: 1080, density: 1 },
  { width: 390, height: 844, density: 3 },
  { width: 412, height: 915, density: 2.625 },
  { width: 1440, height: 900, density: 2 },
];

const TRACKS = ['Product Viewed', 'Product Added', 'Products Searched', 'Checkout Started'];
const LOCALES = [
  ['zh-CN', 'Asia/Shanghai'],
  ['en-US', 'America/Los_Angeles'],
  ['zh-TW', 'Asia/Taipei'],
  ['en-GB', 'Europe/London'],
];

/** A small seeded PRNG (mulberry32), so every process builds the same event contents. */
export function createRandom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (list) => list[Math.floor(next() * list.length)];
  const hex = (n) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
  const uuid = () =>
    `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
  return { next, pick, uuid };
}

/**
 * Returns a function producing browser-like events (a track/page mix with the context a web SDK
 * attaches), each with `messageId` set to `messageId()`. Same seed, same sequence of contents.
 */
export function createEventSource(seed, messageId = randomUUID) {
  const r = createRandom(seed);
  // Visitors send several events each, so anonymous ids repeat across events as they do live.
  const visitors = Array.from({ length: 500 }, () => ({
    anonymousId: r.uuid(),
    userId: r.next() < 0.3 ? `member_${Math.floor(r.next() * 1e6)}` : undefined,
    ua: r.pick(USER_AGENTS),
    screen: r.pick(SCREENS),
    locale: r.pick(LOCALES),
    // Only visitors who arrived through a tagged link carry UTM parameters.
    campaign: r.next() < 0.5 ? r.pick(CAMPAIGNS) : undefined,
  }));
  const start = Date.now() - 60_000;
  return () => {
    const v = r.pick(visitors);
    const page = r.pick(PAGES);
    const url = `https://shop.spoor.example${page.path}${page.path === '/search' ? '?q=oat+latte' : ''}`;
    const referrer = r.pick(REFERRERS);
    const time = new Date(start + Math.floor(r.next() * 50_000)).toISOString();
    const isPage = r.next() < 0.35;
    const event = {
      type: isPage ? 'page' : 'track',
      ...(isPage ? { name: page.title.split(' | ')[0] } : { event: r.pick(TRACKS) }),
      messageId: messageId(),
      anonymousId: v.anonymousId,
      ...(v.userId ? { userId: v.userId } : {}),
      timestamp: time,
      properties: isPage
        ? { path: page.path, url, title: page.title, referrer, search: '' }
        : {
            product_id: `sku_${Math.floor(r.next() * 5000)}`,
            name: 'Yirgacheffe 250 g',
            price: Math.round(r.next() * 20000) / 100,
            currency: 'CNY',
            quantity: 1 + Math.floor(r.next() * 3),
          },
      context: {
        library: { name: '@spoor/web', version: '0.1.0' },
        locale: v.locale[0],
        timezone: v.locale[1],
        page: { path: page.path, referrer, search: '', title: page.title, url },
        userAgent: v.ua,
        screen: v.screen,
        ...(v.campaign ? { campaign: v.campaign } : {}),
      },
    };
    return event;
  };
}

/**
 * Builds `count` distinct batch bodies with placeholder messageIds and records where each
 * placeholder sits, so {@link stampBody} can give a body fresh ids in a few microseconds.
 */
export function createBodyPool(count, seed = 1) {
  const nextEvent = createEventSource(seed, () => PLACEHOLDER);
  const bodies = [];
  let eventBytes = 0;
  for (let i = 0; i < count; i++) {
    const events = Array.from({ length: BATCH_SIZE }, nextEvent);
    for (const e of events) eventBytes += Buffer.byteLength(JSON.stringify(e));
    const buf = Buffer.from(JSON.stringify({ batch: events, sentAt: new Date().toISOString() }));
    const offsets = offsetsOf(buf, PLACEHOLDER);
    if (offsets.length !== BATCH_SIZE) throw new Error('placeholder count mismatch');
    bodies.push({ buf, offsets });
  }
  let next = 0;
  const random = Buffer.alloc(16 * BATCH_SIZE);
  return {
    /** Mean UTF-8 size of one event's JSON. */
    eventBytes: Math.round(eventBytes / (count * BATCH_SIZE)),
    bodyBytes: Math.round(bodies.reduce((n, b) => n + b.buf.length, 0) / count),
    /**
     * The next body, stamped with fresh UUIDs. The buffer is reused by a later call: copy it if
     * it may still be read after the caller yields (autocannon copies it synchronously).
     */
    nextBody() {
      const body = bodies[next++ % bodies.length];
      randomFillSync(random);
      body.offsets.forEach((at, i) => writeUuid(body.buf, at, random, i * 16));
      return body.buf;
    },
  };
}

const HEX = Buffer.from('0123456789abcdef');

/** Writes a UUID v4 built from 16 random bytes as ASCII at `at`: randomUUID() ×100 is too slow. */
export function writeUuid(buf, at, random, from) {
  let o = at;
  for (let i = 0; i < 16; i++) {
    let byte = random[from + i];
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    else if (i === 8) byte = (byte & 0x3f) | 0x80;
    if (i === 4 || i === 6 || i === 8 || i === 10) buf[o++] = 0x2d;
    buf[o++] = HEX[byte >> 4];
    buf[o++] = HEX[byte & 15];
  }
}

/** Where `text` stands in `buf`, every occurrence. */
export function offsetsOf(buf, text) {
  const offsets = [];
  for (let at = buf.indexOf(text); at !== -1; at = buf.indexOf(text, at + 1)) offsets.push(at);
  return offsets;
}
