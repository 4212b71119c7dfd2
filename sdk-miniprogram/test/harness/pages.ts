import type { Realm } from './realm.js';
import type { Scheduler } from './scheduler.js';

/** What a page module registered for its route: `Page(options)`, or `Component(options)`. */
export interface PageDefinition {
  route: string;
  kind: 'page' | 'component';
  /** The object that reached the harness, after any wrapping by the SDK. */
  options: Record<string, unknown>;
}

/** A page instance, shaped as WeChat makes it. */
export interface PageInstance {
  route: string;
  /** The route, as WeChat also names it. */
  is: string;
  /** The query the page was opened with (strings). */
  options: Record<string, string>;
  data: Record<string, unknown>;
  setData(patch: Record<string, unknown>, callback?: () => void): void;
  [key: string]: unknown;
}

type Fn = (this: unknown, ...args: unknown[]) => unknown;

const isPlain = (v: unknown): v is Record<string, unknown> =>
  Object.prototype.toString.call(v) === '[object Object]';

/** A deep copy of arrays and plain objects; anything else (functions, dates…) is shared. */
function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (!isPlain(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
}

/** `data` copied into the mini-program's realm (JSON data), or deep-copied when it is not JSON. */
function copyData(realm: Realm, value: unknown): Record<string, unknown> {
  try {
    return realm.JSON.parse(JSON.stringify(value ?? {})) as Record<string, unknown>;
  } catch {
    return clone(value ?? {}) as Record<string, unknown>;
  }
}

/** Sets `data` at a setData path such as `list[2].title` or `user.name`. */
function setPath(data: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.match(/[^.[\]]+/g) ?? [path];
  let node: Record<string, unknown> = data;
  keys.slice(0, -1).forEach((key, i) => {
    const next = node[key];
    if (typeof next !== 'object' || next === null) {
      node[key] = /^\d+$/.test(keys[i + 1] ?? '') ? [] : {};
    }
    node = node[key] as Record<string, unknown>;
  });
  node[keys[keys.length - 1] ?? path] = value;
}

/** Default values of Component `properties` ({ name: String } or { name: { type, value } }). */
function propertyDefaults(properties: unknown): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  const byType: Record<string, unknown> = { String: '', Number: 0, Boolean: false, Array: [] };
  for (const [name, spec] of Object.entries(isPlain(properties) ? properties : {})) {
    const type = isPlain(spec) ? spec['type'] : spec;
    const typeName = typeof type === 'function' ? type.name : '';
    defaults[name] = isPlain(spec) && 'value' in spec ? spec['value'] : (byType[typeName] ?? null);
  }
  return defaults;
}

/**
 * A new page instance for `definition`. For `Page`, the options' functions and fields are copied
 * onto it (fields deep-copied); for `Component`, its `methods` are, and its `properties` take
 * values from the query (as WeChat passes page parameters to a component page's properties).
 */
export function createPageInstance(
  definition: PageDefinition,
  query: Record<string, string>,
  realm: Realm,
  scheduler: Scheduler,
): PageInstance {
  const { options, route } = definition;
  const instance: Record<string, unknown> = {};
  if (definition.kind === 'page') {
    for (const [key, value] of Object.entries(options)) {
      instance[key] = typeof value === 'function' ? value : clone(value);
    }
    instance['data'] = copyData(realm, options['data']);
  } else {
    const data = copyData(realm, options['data']);
    const properties = propertyDefaults(options['properties']);
    for (const name of Object.keys(properties)) {
      if (name in query) properties[name] = query[name];
    }
    instance['data'] = Object.assign(data, copyData(realm, properties));
    instance['properties'] = instance['data'];
    const methods = isPlain(options['methods']) ? options['methods'] : {};
    for (const [key, value] of Object.entries(methods)) instance[key] = value;
  }
  const page = instance as PageInstance;
  Object.assign(page, { route, is: route, options: { ...query } });
  page.setData = function setData(patch, callback) {
    for (const [path, value] of Object.entries(patch ?? {})) setPath(page.data, path, value);
    if (typeof callback === 'function') scheduler.later(() => callback.call(page));
  };
  return page;
}

/**
 * A Component lifetime (`created`, `attached`, `ready`, `detached`): from `lifetimes`, which
 * wins, or from the options' top level (the older form).
 */
export function componentLifetime(definition: PageDefinition, name: string): Fn | undefined {
  const lifetimes = definition.options['lifetimes'];
  const fromLifetimes = isPlain(lifetimes) ? lifetimes[name] : undefined;
  const fn = fromLifetimes ?? definition.options[name];
  return typeof fn === 'function' ? (fn as Fn) : undefined;
}
