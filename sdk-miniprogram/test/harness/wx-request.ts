import { clearTimeout as hostClearTimeout, setTimeout as hostSetTimeout } from 'node:timers';
import { callbackApi, createListeners, type ApiEnv } from './realm.js';
import { decodeResponse, encodeRequest, netErrMsg, OFFLINE_ERRMSG } from './wx-http.js';

/** The network APIs the fake implements. */
export type RequestApiName =
  'request' | 'getNetworkType' | 'onNetworkStatusChange' | 'offNetworkStatusChange';

/** One `wx.request` call, as the test sees it. */
export interface RequestRecord {
  id: number;
  /** The URL fetched (for GET, with `data` appended as a query string). */
  url: string;
  method: string;
  /** Headers as sent, defaults included. */
  header: Record<string, string>;
  /** `data` as the caller passed it. */
  data: unknown;
  /** The body as sent, as text; undefined for GET/HEAD. */
  body: string | undefined;
  startedAt: number;
  endedAt: number | undefined;
  outcome: 'queued' | 'pending' | 'success' | 'fail';
  statusCode: number | undefined;
  errMsg: string | undefined;
  /** The server answered (a request that failed before fetch, e.g. offline, never did). */
  answered: boolean;
}

/** What `wx.onNetworkStatusChange` reports. */
export type NetworkState = WechatMiniprogram.OnNetworkStatusChangeListenerResult;

/** Where {@link NetworkControls.holdRequests} holds requests. */
export type HoldStage = 'send' | 'response';

/** How a test steers the network. */
export interface NetworkControls {
  /** Every request, oldest first. */
  readonly requests: RequestRecord[];
  /** Requests issued and not yet ended (queued ones included). */
  readonly inFlight: number;
  /** The most requests ever in flight at once. */
  readonly maxInFlight: number;
  readonly network: NetworkState;
  /** Listeners registered with wx.onNetworkStatusChange. */
  readonly networkListeners: number;
  /** Changes connectivity, fires onNetworkStatusChange; going offline fails every open request. */
  setNetwork(state: Partial<NetworkState>): void;
  /** The next `count` requests fail with `errMsg` without reaching the server. */
  failRequests(count: number, errMsg?: string): void;
  /**
   * Holds requests at `stage` ('send': before fetch, 'response': after the server answered) until
   * the returned function is called. Their timeouts still run.
   */
  holdRequests(stage?: HoldStage): () => void;
  /** Ends every request without calling back: the app was killed. */
  abortAll(): void;
}

/** Configuration for {@link createRequestApi}. */
export interface RequestConfig {
  /** WeChat runs at most 10 requests at once and queues the rest. */
  maxConcurrent: number;
  network: NetworkState;
  /** Headers WeChat adds and the app cannot set (Referer, User-Agent). */
  fixedHeaders: Record<string, string>;
}

type Outcome =
  | { ok: true; result: WechatMiniprogram.RequestSuccessCallbackResult }
  | { ok: false; errMsg: string; errno: number };

interface Flight {
  record: RequestRecord;
  option: WechatMiniprogram.RequestOption;
  /** The body on the wire: text, or the bytes of an ArrayBuffer. */
  wire: string | Uint8Array | undefined;
  controller: AbortController;
  timer: NodeJS.Timeout | undefined;
  started: boolean;
  done: boolean;
  headerListeners: WechatMiniprogram.RequestTaskOnHeadersReceivedCallback[];
}

/** `wx.request` over real `fetch`, plus network state. */
export function createRequestApi(env: ApiEnv, config: RequestConfig) {
  const requests: RequestRecord[] = [];
  const flights = new Set<Flight>();
  const queue: Flight[] = [];
  const holds: { stage: HoldStage; waiters: (() => void)[] }[] = [];
  const statusListeners = createListeners<NetworkState>(env);
  let network = { ...config.network };
  let active = 0;
  let maxInFlight = 0;
  let failures: { count: number; errMsg: string } = { count: 0, errMsg: '' };

  const gate = (stage: HoldStage) => {
    const hold = holds.find((h) => h.stage === stage);
    return hold ? new Promise<void>((resolve) => hold.waiters.push(resolve)) : undefined;
  };

  const finish = (f: Flight, outcome: Outcome, silent = false) => {
    if (f.done) return;
    f.done = true;
    if (f.timer) hostClearTimeout(f.timer);
    flights.delete(f);
    if (f.started) active--;
    else if (queue.includes(f)) queue.splice(queue.indexOf(f), 1);
    f.controller.abort();
    Object.assign(f.record, {
      endedAt: Date.now(),
      outcome: outcome.ok ? 'success' : 'fail',
      statusCode: outcome.ok ? outcome.result.statusCode : undefined,
      errMsg: outcome.ok ? outcome.result.errMsg : outcome.errMsg,
    });
    pump();
    if (silent) return;
    const { success, fail, complete } = f.option;
    env.scheduler.later(() => {
      if (outcome.ok) {
        if (success) env.scheduler.guard(() => success(outcome.result));
      } else if (fail) {
        const { errMsg, errno } = outcome;
        const exception = { reasons: [], retryCount: 0 };
        env.scheduler.guard(() => fail({ errMsg, errno, exception, useHttpDNS: false }));
      }
      const errMsg = outcome.ok ? outcome.result.errMsg : outcome.errMsg;
      if (complete) env.scheduler.guard(() => complete({ errMsg }));
    });
  };

  const start = async (f: Flight) => {
    f.started = true;
    active++;
    f.record.outcome = 'pending';
    if (!network.isConnected)
      return finish(f, { ok: false, errMsg: OFFLINE_ERRMSG, errno: 600001 });
    if (failures.count > 0) {
      failures.count--;
      return finish(f, { ok: false, errMsg: failures.errMsg, errno: 600001 });
    }
    await gate('send');
    if (f.done) return;
    const { record } = f;
    try {
      const res = await fetch(record.url, {
        method: record.method,
        headers: record.header,
        body: f.wire,
        signal: f.controller.signal,
      });
      record.answered = true;
      const head = {
        header: Object.fromEntries(res.headers),
        statusCode: res.status,
        cookies: res.headers.getSetCookie(),
      };
      for (const l of f.headerListeners) env.scheduler.later(() => l({ ...head }));
      const bytes = new Uint8Array(await res.arrayBuffer());
      await gate('response');
      finish(f, { ok: true, result: decodeResponse(env.realm, f.option, res, bytes) });
    } catch (error) {
      finish(f, { ok: false, errMsg: netErrMsg(error), errno: 600001 });
    }
  };

  const pump = () => {
    while (active < config.maxConcurrent && queue.length > 0) void start(queue.shift() as Flight);
  };

  const request = <T extends string | WechatMiniprogram.IAnyObject | ArrayBuffer>(
    option: WechatMiniprogram.RequestOption<T>,
  ): WechatMiniprogram.RequestTask => {
    const { url, method, header, wire, body } = encodeRequest(
      option as WechatMiniprogram.RequestOption,
      config.fixedHeaders,
    );
    const { data } = option;
    const record: RequestRecord = {
      id: requests.length + 1,
      url,
      method,
      header,
      data,
      body,
      startedAt: Date.now(),
      endedAt: undefined,
      outcome: 'queued',
      statusCode: undefined,
      errMsg: undefined,
      answered: false,
    };
    requests.push(record);
    const flight: Flight = {
      record,
      option: option as WechatMiniprogram.RequestOption,
      wire,
      controller: new AbortController(),
      timer: undefined,
      started: false,
      done: false,
      headerListeners: [],
    };
    flights.add(flight);
    maxInFlight = Math.max(maxInFlight, flights.size);
    queue.push(flight);
    const fail = (errMsg: string) => finish(flight, { ok: false, errMsg, errno: 600001 });
    if (!/^https?:\/\//i.test(url)) {
      fail(`request:fail invalid url "${url}"`);
    } else {
      flight.timer = hostSetTimeout(() => fail('request:fail timeout'), option.timeout ?? 60_000);
      pump();
    }
    const ignore = () => undefined;
    return {
      abort: () => fail('request:fail abort'),
      onHeadersReceived: (listener) => void flight.headerListeners.push(listener),
      offHeadersReceived: (listener) => {
        flight.headerListeners = flight.headerListeners.filter((l) => listener && l !== listener);
      },
      onChunkReceived: ignore,
      offChunkReceived: ignore,
    };
  };

  const api: Pick<WechatMiniprogram.Wx, RequestApiName> = {
    request,
    getNetworkType: callbackApi(env, 'getNetworkType', () => ({
      networkType: network.networkType,
      hasSystemProxy: false,
      signalStrength: network.isConnected ? 100 : 0,
      weakNet: false,
    })),
    onNetworkStatusChange: (listener) => statusListeners.on(listener),
    offNetworkStatusChange: (listener) => statusListeners.off(listener as never),
  };

  const controls: NetworkControls = {
    requests,
    get inFlight() {
      return flights.size;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get network() {
      return { ...network };
    },
    get networkListeners() {
      return statusListeners.size;
    },
    setNetwork(state) {
      const isConnected = state.isConnected ?? network.isConnected;
      const networkType = state.networkType ?? (isConnected ? 'wifi' : 'none');
      network = { isConnected, networkType };
      if (!isConnected) {
        for (const f of [...flights])
          finish(f, { ok: false, errMsg: OFFLINE_ERRMSG, errno: 600001 });
      }
      const changed = { ...network };
      env.scheduler.later(() => statusListeners.emit(changed));
    },
    failRequests(count, errMsg = 'request:fail -101:net::ERR_CONNECTION_RESET') {
      failures = { count, errMsg };
    },
    holdRequests(stage = 'send') {
      const hold = { stage, waiters: [] as (() => void)[] };
      holds.push(hold);
      return () => {
        if (holds.includes(hold)) holds.splice(holds.indexOf(hold), 1);
        for (const release of hold.waiters.splice(0)) release();
      };
    },
    abortAll() {
      for (const f of [...flights]) finish(f, { ok: false, errMsg: 'killed', errno: 0 }, true);
    },
  };
  return { api, controls };
}
