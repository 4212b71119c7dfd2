/**
 * A WeChat mini-program runtime for tests: a `wx` fake checked against miniprogram-api-typings,
 * a `node:vm` context with only mini-program globals, lifecycle drivers in WeChat's order and a
 * real collector. See README.md.
 */
export { startMiniProgram, DEFAULT_BUNDLE, MODERN_BUILTINS } from './runtime.js';
export type { MiniProgram, MiniProgramOptions } from './types.js';
export type { HandlerEvent, HideOptions, Query, TapTarget } from './lifecycle.js';
export type { ModuleOptions } from './modules.js';
export { readProject } from './project.js';
export type { PageDefinition, PageInstance } from './pages.js';
export type { ShareContent, ShareOptions, ShareOutcome, ShareTimelineOutcome } from './share.js';
export { createWx, errorText } from './wx-fake.js';
export type { FakeWx, FakeWxApiName, WxFake, WxFakeOptions } from './wx-fake.js';
export type { HoldStage, NetworkControls, NetworkState, RequestRecord } from './wx-request.js';
export { OFFLINE_ERRMSG } from './wx-http.js';
export { parsePageUrl, type Navigator } from './wx-navigation.js';
export type { UiRecord } from './wx-ui.js';
export { WECHAT_STORAGE_LIMITS, type StorageLimits } from './wx-storage.js';
export {
  DEFAULT_ACCOUNT,
  DEFAULT_DEVICE,
  type DeviceOptions,
  type LaunchOptions,
} from './wx-system.js';
export { createScheduler, type Scheduler } from './scheduler.js';
export {
  startMiniProgramCollector,
  until,
  MINIPROGRAM_WRITE_KEY,
  type MiniProgramCollector,
} from './collector.js';
export { startEchoServer, type EchoServer, type Received } from './echo-server.js';
