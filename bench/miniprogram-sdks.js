// The two mini-program SDKs of miniprogram.js: the file a developer ships, how app.js starts it
// (source evaluated inside the mini-program context), and how to read the events out of the
// request bodies it sends. Spoor's options are given twice: `enqueue` (nothing is sent while
// track() is timed) and `deliver` (its defaults: 20 events or 10 s per request).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SENSORS_DIR = dirname(require.resolve('sa-sdk-miniprogram/package.json'));
const SENSORS_VERSION = require('sa-sdk-miniprogram/package.json').version;

export const HOST = 'http://127.0.0.1:1';
export const EVENT = 'Product Viewed';
const PROPERTIES = `{ sku: 'tea-01', price: 19.9, tags: ['green', 'tea'] }`;

/** Evaluated in the context: one call, and `n` calls in a loop, on the SDK it is given. */
export const TRACK_ONE = `(function (sdk) { return function () { sdk.track('${EVENT}', ${PROPERTIES}); }; })`;
export const TRACK_MANY = `(function (sdk) { return function (n) { for (var i = 0; i < n; i++) sdk.track('${EVENT}', ${PROPERTIES}); }; })`;

export const SDKS = [
  {
    id: 'spoor',
    name: 'Spoor mini-program',
    version: 'workspace',
    file: join(ROOT, 'sdk-miniprogram/miniprogram_dist/index.js'),
    fileLabel: 'sdk-miniprogram/miniprogram_dist/index.js',
    note: 'one CommonJS file, ES2015: launch, show/hide, page view, page leave and share capture',
    // The documented start: createSpoor() in app.js before App() (the driver then calls App({})).
    setup: `(function (m, mode) {
  var options = { writeKey: 'wk', host: '${HOST}' };
  if (mode === 'enqueue') { options.flushAt = 1000000; options.flushInterval = 3600000; }
  var spoor = m.createSpoor(options);
  var loaded = false;
  spoor.ready.then(function () { loaded = true; });
  return {
    sdk: spoor,
    ready: function () { return loaded; },
    queued: function () { var s = spoor.stats(); return s.enqueued - s.delivered - sum(s.dropped); },
    dropped: function () { return sum(spoor.stats().dropped); },
  };
  function sum(o) { var t = 0; for (var k in o) t += o[k]; return t; }
})`,
    /** The events in one request body: `{ batch: [...] }`. */
    eventsOf: (data) => JSON.parse(data).batch,
  },
  {
    id: 'sensors',
    name: 'Sensors sa-sdk-miniprogram',
    version: SENSORS_VERSION,
    // The npm `main`: what require('sa-sdk-miniprogram') gives after WeChat's "build npm". Its
    // autotrack (launch, show, hide, page view, share; page leave and taps optional) is built
    // in: no plugin file is needed for it.
    file: join(SENSORS_DIR, 'dist/wechat/sensorsdata.cjs.js'),
    fileLabel: 'sa-sdk-miniprogram/dist/wechat/sensorsdata.cjs.js',
    note: 'npm main; autotrack built in',
    // Its manual's start: setPara() right after require, then init(); batch_send is on by
    // default (a request once 6 events wait, or every 6 s); page leave on, as in Spoor.
    setup: `(function (sensors) {
  sensors.setPara({
    name: 'sensors',
    server_url: '${HOST}/sa?project=default',
    show_log: false,
    batch_send: true,
    autoTrack: { appLaunch: true, appShow: true, appHide: true, pageShow: true, pageShare: true, mpClick: false, pageLeave: true },
  });
  sensors.init();
  return {
    sdk: sensors,
    ready: function () { return sensors.initialState.isComplete === true; },
    queued: function () { return sensors.store.mem.getLength(); },
    dropped: function () { return null; },
  };
})`,
    /** `data_list=` + URI-encoded base64 of the UTF-8 JSON array of events. */
    eventsOf: (data) =>
      JSON.parse(
        Buffer.from(decodeURIComponent(String(data).replace(/^data_list=/, '')), 'base64').toString(
          'utf8',
        ),
      ),
  },
];

/** Files measured for size only: Sensors' other build of the same SDK. */
export const SIZE_ONLY = [
  {
    id: 'sensors-v2',
    name: 'Sensors v2 build',
    version: SENSORS_VERSION,
    file: join(SENSORS_DIR, 'dist/v2/sensorsdata.cjs.js'),
    fileLabel: 'sa-sdk-miniprogram/dist/v2/sensorsdata.cjs.js',
    note: 'same as sensorsdata.min.js; without the deprecated openid APIs; batch sending only',
  },
];

/** min+gzip sizes quoted in the issue (KB = 1,000 B), not measured here. */
export const QUOTED = [
  { name: 'Umeng', gzipBytes: 13_600 },
  { name: 'Sensors (quoted)', gzipBytes: 17_600 },
  { name: 'GrowingIO', gzipBytes: 21_600 },
];
