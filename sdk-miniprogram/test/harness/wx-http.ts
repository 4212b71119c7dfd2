import { types } from 'node:util';
import { messageOf, type Realm } from './realm.js';

/** The errMsg of a request made while offline (as Android WeChat words it). */
export const OFFLINE_ERRMSG = 'request:fail -106:net::ERR_INTERNET_DISCONNECTED';

const NET_ERRORS: Record<string, string> = {
  ECONNREFUSED: '-102:net::ERR_CONNECTION_REFUSED',
  ECONNRESET: '-101:net::ERR_CONNECTION_RESET',
  ENOTFOUND: '-105:net::ERR_NAME_NOT_RESOLVED',
};

// The typing's profile has 30-odd timing fields; there is no network stack here to measure them.
const PROFILE = {} as WechatMiniprogram.RequestProfile;

/** A request as it goes on the wire. */
export interface EncodedRequest {
  url: string;
  method: string;
  header: Record<string, string>;
  /** Text, or the bytes of an ArrayBuffer; undefined for GET/HEAD. */
  wire: string | Uint8Array | undefined;
  /** `wire` as text. */
  body: string | undefined;
}

const form = (data: Record<string, unknown>) =>
  Object.entries(data)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');

/**
 * Encodes `data` as WeChat does: a query string for GET/HEAD; for other methods a string or an
 * ArrayBuffer as is, an object as JSON, or as a form when content-type says
 * x-www-form-urlencoded. `content-type` defaults to application/json; `fixed` headers (Referer,
 * User-Agent) replace whatever the app set.
 */
export function encodeRequest(
  option: WechatMiniprogram.RequestOption,
  fixed: Record<string, string>,
): EncodedRequest {
  const method = (option.method ?? 'GET').toUpperCase();
  const header: Record<string, string> = { 'content-type': 'application/json' };
  const fixedNames = Object.keys(fixed).map((k) => k.toLowerCase());
  for (const [k, v] of Object.entries(option.header ?? {})) {
    if (k.toLowerCase() === 'content-type') delete header['content-type'];
    if (!fixedNames.includes(k.toLowerCase())) header[k] = String(v);
  }
  Object.assign(header, fixed);
  const contentType = Object.entries(header).find(([k]) => /^content-type$/i.test(k))?.[1];
  const { data } = option;
  let url = String(option.url);
  let wire: string | Uint8Array | undefined;
  const bytes = types.isAnyArrayBuffer(data) ? new Uint8Array(data.slice(0)) : undefined;
  const object = typeof data === 'object' && !bytes ? (data as Record<string, unknown>) : undefined;
  if (method === 'GET' || method === 'HEAD') {
    const query = object ? form(object) : typeof data === 'string' ? data : '';
    if (query !== '') url += (url.includes('?') ? '&' : '?') + query;
  } else if (bytes) {
    wire = bytes;
  } else if (object) {
    const urlencoded = contentType?.includes('application/x-www-form-urlencoded');
    wire = urlencoded ? form(object) : JSON.stringify(object);
  } else if (data !== undefined) {
    // A number or boolean from untyped app code goes as its JSON text.
    wire = typeof data === 'string' ? data : JSON.stringify(data);
  }
  const body = typeof wire === 'string' || !wire ? wire : new TextDecoder().decode(wire);
  return { url, method, header, wire, body };
}

/**
 * The success result WeChat builds from a response: with `dataType: 'json'` (the default) a
 * body that parses as JSON is parsed, else the text is kept; `responseType: 'arraybuffer'` gives
 * the bytes. Values are made in the mini-program's realm.
 */
export function decodeResponse(
  realm: Realm,
  option: WechatMiniprogram.RequestOption,
  res: Response,
  bytes: Uint8Array,
): WechatMiniprogram.RequestSuccessCallbackResult {
  let data: string | ArrayBuffer | object;
  if (option.responseType === 'arraybuffer') {
    const copy = new realm.Uint8Array(bytes.byteLength);
    copy.set(bytes);
    data = copy.buffer;
  } else {
    data = new TextDecoder().decode(bytes);
    if ((option.dataType ?? 'json') === 'json') {
      try {
        data = realm.JSON.parse(data) as object;
      } catch {
        // WeChat hands over the text when it does not parse.
      }
    }
  }
  return {
    data,
    statusCode: res.status,
    header: realm.JSON.parse(JSON.stringify(Object.fromEntries(res.headers))) as object,
    cookies: realm.Array.from(res.headers.getSetCookie()),
    errMsg: 'request:ok',
    exception: { reasons: [], retryCount: 0 },
    profile: PROFILE,
    useHttpDNS: false,
  };
}

/** The errMsg WeChat gives for a network error `fetch` threw. */
export function netErrMsg(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  const detail = NET_ERRORS[code] ?? `-2:net::ERR_FAILED ${code || messageOf(error)}`;
  return `request:fail ${detail}`;
}
