import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A stand-in for the SDK bundle, for the harness's self-tests and as a minimal example of what
 * the harness expects: it wraps App/Page/Component by assignment, chaining to the previous
 * globals, and sends with wx.request. ES5 only, as the real bundle must be.
 */
export const TINY_BUNDLE = `'use strict';
var log = [];
var prevApp = App, prevPage = Page, prevComponent = Component;
function wrap(target, names, tag) {
  names.forEach(function (name) {
    var original = target[name];
    target[name] = function () {
      log.push(tag + '.' + name);
      return original && original.apply(this, arguments);
    };
  });
  return target;
}
App = function (o) { return prevApp(wrap(o, ['onLaunch', 'onShow', 'onHide'], 'sdk')); };
Page = function (o) { return prevPage(wrap(o, ['onLoad', 'onShow', 'onHide', 'onUnload'], 'sdk')); };
Component = function (o) {
  o.methods = wrap(o.methods || {}, ['onLoad', 'onShow'], 'sdk');
  return prevComponent(o);
};
function send(url, data, header) {
  var result = { done: false };
  wx.request({ url: url, method: 'POST', data: data, header: header || {},
    success: function (r) { result.res = r; },
    fail: function (e) { result.err = e; },
    complete: function () { result.done = true; } });
  return result;
}
module.exports = { log: log, send: send };
`;

/** An app.js that registers the app and a wx.onAppHide listener. */
export const TINY_APP = `App({ globalData: { who: 'app' }, onLaunch: function () {},
  onShow: function () {}, onHide: function () {} });
wx.onAppHide(function () { getApp().globalData.hidden = true; });`;

/** What {@link TINY_BUNDLE} exports. */
export interface TinyBundle {
  /** Hooks the wrappers saw, as 'sdk.onShow'. */
  log: string[];
  /** POSTs `data` with wx.request; the returned object fills in as callbacks arrive. */
  send(url: string, data: unknown, header?: Record<string, string>): TinySend;
}

/** One {@link TinyBundle.send}. */
export interface TinySend {
  done: boolean;
  res?: { statusCode: number; data: Record<string, unknown>; errMsg: string };
  err?: { errMsg: string };
}

/** Writes {@link TINY_BUNDLE} to `index.js` in a new temp directory; returns the file's path. */
export function writeTinyBundle(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'spoor-mp-bundle-')), 'index.js');
  writeFileSync(path, TINY_BUNDLE);
  return path;
}
