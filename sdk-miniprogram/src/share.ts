/** `query` (a=1&b=2) with `name` set to `value`, replacing an earlier value (a re-share). */
export function withParam(query: string, name: string, value: string): string {
  const kept = query.split('&').filter((part) => part !== '' && part.split('=')[0] !== name);
  kept.push(`${name}=${encodeURIComponent(value)}`);
  return kept.join('&');
}

/** A page path (`/pages/x/x?a=1`) with `name=value` in its query. */
export function pathWithParam(path: string, name: string, value: string): string {
  const at = path.indexOf('?');
  return at < 0
    ? `${path}?${withParam('', name, value)}`
    : `${path.slice(0, at)}?${withParam(path.slice(at + 1), name, value)}`;
}

/** A query object (a page's `options`) as a query string. */
export function queryString(query: unknown): string {
  if (typeof query !== 'object' || query === null) return '';
  return Object.keys(query)
    .map((key) => `${key}=${encodeURIComponent(String((query as Record<string, unknown>)[key]))}`)
    .join('&');
}

type Settings = Record<string, unknown>;

/**
 * What a share handler returned, with the sharer in its path (or, for the timeline, its
 * query): every other field kept exactly, a `promise` (async share settings, base library
 * 2.12) followed to its result. A handler that returned nothing shares the current page, as
 * WeChat does, now with the sharer.
 */
export function attributeShare(
  result: unknown,
  kind: 'message' | 'timeline',
  currentPath: string,
  param: string,
  sharer: string,
): unknown {
  const settings = (typeof result === 'object' && result !== null ? result : {}) as Settings;
  const add = (given: Settings): Settings =>
    kind === 'timeline'
      ? { ...given, query: withParam(textOf(given['query']), param, sharer) }
      : { ...given, path: pathWithParam(textOf(given['path']) || currentPath, param, sharer) };
  const shared = add(settings);
  const promise = settings['promise'] as Promise<unknown> | undefined;
  if (promise && typeof promise.then === 'function') {
    shared['promise'] = promise.then((late) =>
      typeof late === 'object' && late !== null ? add(late as Settings) : late,
    );
  }
  return shared;
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
