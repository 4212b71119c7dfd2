// Spoor starts here, before App(): it wraps App, Page and Component, so launch, show and hide,
// page views, page leave, shares and the taps listed below are captured with no code in the
// pages. Pages reach the client as getApp().spoor.
const { createSpoor } = require('@spoor/miniprogram');
const config = require('./config');
const session = require('./session');

const spoor = createSpoor({
  writeKey: config.writeKey,
  host: config.host,
  // Launch, show/hide, page views, page leave and share are on by default; page methods named
  // here are recorded as $MPClick (with the tapped element's id and data-* attributes).
  autocapture: { taps: ['onBuy'] },
  // The query parameter that carries the sharer's anonymous ID in shared paths (the default).
  shareParam: 'spoor_sharer',
});
// The SDK never throws into the app: what goes wrong is reported on these two channels. Events
// the collector refused arrive on 'drop' (a wrong write key: `rejected`, `HTTP 401 unauthorized`).
spoor.on('error', (error) => console.warn('[spoor]', error.code, error.message));
spoor.on('drop', (drop) => console.warn('[spoor] dropped', drop.count, drop.reason, drop.detail));

App({
  spoor,
  globalData: { member: null },
  onLaunch() {
    // A member who logged in on an earlier launch. Spoor keeps the user ID and the bound
    // identities in storage itself: there is nothing to call again.
    this.globalData.member = session.load();
  },
});
