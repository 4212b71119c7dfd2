import { ClientCore, type CallOptions, type PersistedEvent } from './client.js';
import type { DeliveryStats } from './drops.js';
import type { ClientEvents } from './emitter.js';
import type { ClientOptions } from './options.js';
import type { Platform } from './platform.js';
import type { Consent } from './state.js';

type Props = Record<string, unknown>;

/** The API every Spoor SDK exposes. No method throws; problems go to `on('error')`. */
export interface SpoorClient {
  /** Resolves once the stored identity and queue are loaded (calls before it are kept). */
  readonly ready: Promise<void>;
  track(event: string, properties?: Props, options?: CallOptions): void;
  identify(userId?: string | null, traits?: Props, options?: CallOptions): void;
  /** `page(name)`, `page(name, properties)` or `page(category, name, properties)`. */
  page(category?: string, name?: string | Props, properties?: Props, options?: CallOptions): void;
  screen(name: string, properties?: Props, options?: CallOptions): void;
  group(groupId: string, traits?: Props, options?: CallOptions): void;
  alias(userId: string, previousId?: string, options?: CallOptions): void;
  setOnce(traits: Props, options?: CallOptions): void;
  increment(values: Record<string, number>, options?: CallOptions): void;
  append(values: Record<string, unknown[]>, options?: CallOptions & { unique?: boolean }): void;
  unset(keys: string[], options?: CallOptions): void;
  /** Extra identities sent with every event from now on, e.g. `{ wechat_unionid, phone }`. */
  bind(identities: Record<string, string | number>): void;
  /** Super properties: added to every event's properties. */
  register(properties: Props): void;
  unregister(...keys: string[]): void;
  /** A new anonymous ID; forgets the user, traits and bound identities (logout). */
  reset(): void;
  /**
   * Resolves once everything queued before the call is delivered or dropped. Once the stored
   * state is loaded, the request starts before `flush()` returns.
   */
  flush(): Promise<void>;
  optIn(): void;
  optOut(): void;
  readonly consent: Consent;
  readonly anonymousId: string;
  readonly userId: string | null;
  on<K extends keyof ClientEvents>(
    name: K,
    listener: (payload: ClientEvents[K]) => void,
  ): () => void;
  stats(): DeliveryStats;
  /** Stops intake, delivers what it can within `timeoutMs`, drops the rest as `closed`. */
  close(timeoutMs?: number): Promise<void>;
  /**
   * For platform adapters: hands the queued events to a synchronous `send` (a page unloading
   * uses `navigator.sendBeacon`) in bodies of at most `maxBytes`; what it accepts counts as
   * delivered, what it refuses stays queued for the ordinary transport. Returns the events
   * still unsent (in flight or queued), for a last synchronous save.
   */
  drain(send: (body: string, messageIds: string[]) => boolean, maxBytes: number): PersistedEvent[];
  /** For platform adapters: queues events another client persisted and never sent. */
  restore(items: unknown): void;
}

/** The methods that take the host's input: each runs inside `guard` (see {@link guardAll}). */
type Calls = Omit<
  SpoorClient,
  'ready' | 'flush' | 'consent' | 'anonymousId' | 'userId' | 'on' | 'stats' | 'close' | 'drain'
>;

/** Builds a client on a platform port. */
export function createClient(platform: Platform, options: ClientOptions): SpoorClient {
  const core = new ClientCore(platform, options);
  const props = (value: unknown) => core.clean('properties', value);
  const withSuper = (value: unknown) => ({ ...core.state.superProperties, ...props(value) });
  const text = (value: unknown) =>
    typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  const operation = (name: string, value: unknown, options: CallOptions | undefined) =>
    core.emit('identify', { operations: { [name]: value } }, options);

  const calls = guardAll<Calls>(core, {
    track: (event, properties, options) => {
      const name = text(event);
      if (!name) return core.report('invalid', 'track needs an event name');
      core.emit('track', { event: name.slice(0, 200), properties: withSuper(properties) }, options);
    },
    identify: (userId, traits, options) => {
      const id = text(userId);
      const clean = core.clean('traits', traits);
      if (!core.options.requireUser) {
        if (id !== undefined && id !== core.state.userId) core.state.userId = id;
        core.state.traits = { ...core.state.traits, ...clean };
        core.saveIdentity();
      }
      core.emit('identify', { traits: clean }, id ? { ...options, userId: id } : options);
    },
    page: (category, name, properties, options) => {
      const named = typeof name === 'string';
      const fields: Record<string, unknown> = {
        properties: withSuper(named ? properties : name),
      };
      if (named) fields['name'] = name;
      else if (text(category)) fields['name'] = text(category);
      if (named && text(category)) fields['category'] = text(category);
      core.emit('page', fields, named ? options : properties);
    },
    screen: (name, properties, options) =>
      core.emit('screen', { name: text(name) ?? '', properties: withSuper(properties) }, options),
    group: (groupId, traits, options) => {
      const id = text(groupId);
      if (!id) return core.report('invalid', 'group needs a groupId');
      core.emit('group', { groupId: id, traits: core.clean('traits', traits) }, options);
    },
    alias: (userId, previousId, options) => {
      const to = text(userId);
      const kept = core.options.requireUser
        ? undefined
        : (core.state.userId ?? core.state.anonymousId);
      const from = text(previousId) ?? kept;
      if (!to || !from)
        return core.report('invalid', 'alias needs the new userId and a previousId');
      core.emit('alias', { previousId: from }, { ...options, userId: to });
      if (!core.options.requireUser) {
        core.state.userId = to;
        core.saveIdentity();
      }
    },
    setOnce: (traits, options) => operation('setOnce', core.clean('traits', traits), options),
    increment: (values, options) =>
      operation('increment', numbers(core.clean('increment', values)), options),
    append: (values, options) => {
      const unique = (options as { unique?: unknown } | undefined)?.unique === true;
      operation(unique ? 'union' : 'append', lists(core.clean('append', values)), options);
    },
    unset: (keys, options) =>
      operation('unset', (Array.isArray(keys) ? keys : []).map(text).filter(Boolean), options),
    bind: (identities) => {
      for (const [type, value] of Object.entries(core.clean('identities', identities))) {
        const v = text(value);
        if (v !== undefined && /^[a-z][a-z0-9_]{0,63}$/.test(type)) core.state.identities[type] = v;
        else core.report('invalid', `bind: ${type} is not a type name with a string value`);
      }
      core.saveIdentity();
    },
    register: (properties) => {
      core.state.superProperties = { ...core.state.superProperties, ...props(properties) };
      core.saveIdentity();
    },
    unregister: (...keys) => {
      for (const key of keys) delete core.state.superProperties[String(key)];
      core.saveIdentity();
    },
    reset: () => core.resetIdentity(),
    optIn: () => core.setConsent('granted'),
    optOut: () => core.setConsent('denied'),
    restore: (items) => core.restore(items),
  });

  return {
    ...calls,
    ready: core.ready,
    // Synchronous once loaded: a mini-program's hide callback must start its request before
    // returning (iOS may freeze the app right after).
    flush: () => (core.loaded ? core.flush() : core.ready.then(() => core.flush())),
    get consent() {
      return core.consent;
    },
    get anonymousId() {
      return core.state.anonymousId;
    },
    get userId() {
      return core.state.userId;
    },
    on: (name, listener) => core.events.on(name, listener),
    stats: () => core.stats(),
    drain: (send, maxBytes) => {
      let left: PersistedEvent[] = [];
      core.guard('drain', () => (left = core.drain(send, maxBytes)));
      return left;
    },
    close: (timeoutMs = 10_000) => core.close(typeof timeoutMs === 'number' ? timeoutMs : 10_000),
  };
}

/**
 * The methods, each run through `core.guard` under its own name: nothing the host passes can
 * make one throw (arguments are read inside the guard too: reading hostile input can throw),
 * and calls made before the stored state is loaded wait for it.
 */
function guardAll<T>(core: ClientCore, methods: T): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(methods as Record<string, (...a: unknown[]) => void>))
    guarded[name] = (...args: unknown[]) => core.guard(name, () => method(...args));
  return guarded as T;
}

function numbers(values: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(values).filter((e): e is [string, number] => typeof e[1] === 'number'),
  );
}

function lists(values: Record<string, unknown>): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
  );
}
