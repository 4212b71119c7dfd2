// The three web SDKs of web.js: the script-tag file each ships, and how a page loads it, points
// it at the local sink (no remote settings, nothing fetched from outside 127.0.0.1), and learns
// it is ready. `head(sink)` is the HTML that goes into the page's <head>; it must end by calling
// `__benchResolve()` once the SDK is fully loaded and initialised (or `__benchReject(error)`).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const packageDir = (name) => dirname(require.resolve(`${name}/package.json`));
const version = (name) => require(`${name}/package.json`).version;

export const WRITE_KEY = 'bench';
const json = (value) => JSON.stringify(value);

/** The settings a Segment source with no destinations gets from its CDN, served by the sink. */
export function segmentSettings(sink) {
  const segmentIo = { apiKey: WRITE_KEY, apiHost: `${sink.replace(/^http:\/\//, '')}/v1` };
  return {
    integrations: { 'Segment.io': { ...segmentIo, protocol: 'http', addBundledMetadata: true } },
    plan: { track: { __default: { enabled: true, integrations: {} } } },
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    metrics: { sampleRate: 0, host: segmentIo.apiHost },
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
  };
}

export const SDKS = [
  {
    id: 'spoor',
    name: 'Spoor web',
    version: 'workspace',
    file: join(ROOT, 'sdk-web/dist/spoor.js'),
    fileLabel: 'sdk-web/dist/spoor.js',
    scriptPath: '/spoor.js',
    note: 'IIFE, includes page-view and click autocapture',
    global: 'spoor',
    method: 'track',
    head: (sink) => `<script>
window.spoor = [];
window.spoor.config = ${json({
      writeKey: WRITE_KEY,
      host: sink,
      autocapture: { pageviews: false, clicks: false, pageLeave: false },
    })};
</script>
<script src="/spoor.js" onerror="__benchReject(new Error('spoor.js did not load'))" onload="
  if (!window.spoor || typeof window.spoor.track !== 'function') __benchReject(new Error('window.spoor has no track()'));
  else Promise.resolve(window.spoor.ready).then(function () { __benchResolve(); }, __benchReject);
"></script>`,
  },
  {
    id: 'segment',
    name: 'Segment analytics-next',
    version: version('@segment/analytics-next'),
    file: join(packageDir('@segment/analytics-next'), 'dist/umd/standalone.js'),
    fileLabel: '@segment/analytics-next/dist/umd/standalone.js',
    scriptPath: `/analytics.js/v1/${WRITE_KEY}/analytics.min.js`,
    note: 'main file only; it lazy-loads chunks for destinations, middleware and plans',
    global: 'analytics',
    method: 'track',
    // Segment's snippet, shortened to what this page uses, set up for a custom proxy as its docs
    // describe: `_cdn` (settings come from the sink's /v1/projects/<key>/settings) and the
    // Segment.io integration's apiHost/protocol in the load options. `ready` fires before the
    // standalone bundle swaps window.analytics for the real instance, so wait for that too.
    head: (sink) => `<script>
!function () {
  var analytics = (window.analytics = window.analytics || []);
  analytics.invoked = true;
  analytics.factory = function (m) {
    return function () { var a = Array.prototype.slice.call(arguments); a.unshift(m); analytics.push(a); return analytics; };
  };
  analytics.ready = analytics.factory('ready');
  analytics.track = analytics.factory('track');
  analytics.load = function (key, options) {
    var t = document.createElement('script');
    t.async = true;
    t.src = '/analytics.js/v1/' + key + '/analytics.min.js';
    t.onerror = function () { __benchReject(new Error('standalone.js did not load')); };
    document.head.appendChild(t);
    analytics._loadOptions = options;
  };
  analytics._writeKey = ${json(WRITE_KEY)};
  analytics._cdn = ${json(sink)};
  analytics.SNIPPET_VERSION = '5.2.0';
  analytics.load(${json(WRITE_KEY)}, ${json({
    integrations: {
      'Segment.io': { apiHost: `${sink.replace(/^http:\/\//, '')}/v1`, protocol: 'http' },
    },
  })});
  analytics.ready(function () {
    (function wait(n) {
      if (!Array.isArray(window.analytics) && window.analytics.initialized) __benchResolve();
      else if (n > 0) setTimeout(wait, 5, n - 1);
      else __benchReject(new Error('window.analytics was not replaced by the instance'));
    })(1000);
  });
}();
</script>`,
  },
  {
    id: 'posthog',
    name: 'PostHog posthog-js',
    version: version('posthog-js'),
    file: join(packageDir('posthog-js'), 'dist/array.js'),
    fileLabel: 'posthog-js/dist/array.js',
    scriptPath: '/static/array.js',
    note: "the build its docs' snippet loads; array.full.js bundles the lazy extensions",
    global: 'posthog',
    method: 'capture',
    // array.js without the snippet's stub defines window.posthog itself; init() it on load.
    // advanced_disable_flags also stops the remote config fetch; the extensions that would load
    // scripts are off, and external dependency loading is disabled besides.
    head: (
      sink,
    ) => `<script src="/static/array.js" onerror="__benchReject(new Error('array.js did not load'))" onload="
  window.posthog.init('phc_bench', Object.assign(${json({
    api_host: sink,
    advanced_disable_flags: true,
    autocapture: false,
    capture_pageview: false,
    capture_pageleave: false,
    disable_session_recording: true,
    disable_surveys: true,
    disable_product_tours: true,
    disable_conversations: true,
    disable_web_experiments: true,
    disable_external_dependency_loading: true,
    capture_performance: false,
    capture_exceptions: false,
    capture_dead_clicks: false,
    enable_heatmaps: false,
    rageclick: false,
    persistence: 'localStorage',
    // Otherwise it drops every event: it takes Playwright's Chromium (navigator.webdriver) for a
    // bot. Its own warning suggests this for end-to-end tests; the check still runs per event.
    opt_out_useragent_filter: true,
    // Its client-side limit (10 events/s, bursts of 100) would drop most calls, early.
    rate_limiting: { events_per_second: 1_000_000, events_burst_limit: 10_000_000 },
  }).replace(/"/g, '&quot;')}, { loaded: function () { __benchResolve(); } }));
"></script>`,
  },
];
