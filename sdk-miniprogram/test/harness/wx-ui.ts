import { callbackApi, type ApiEnv } from './realm.js';

/** The feedback APIs the fake implements: nothing is drawn, each call is recorded. */
export type UiApiName = 'showToast' | 'hideToast' | 'showLoading' | 'hideLoading';

/** One call of a feedback API, as a test reads it from `fake.ui`. */
export interface UiRecord {
  api: UiApiName;
  title?: string;
  icon?: string;
}

/** Toasts and loading indicators, recorded into `log`. */
export function createUiApi(env: ApiEnv, log: UiRecord[]): Pick<WechatMiniprogram.Wx, UiApiName> {
  return {
    showToast: callbackApi(env, 'showToast', ({ title, icon }) => {
      log.push({ api: 'showToast', title, icon: icon ?? 'success' });
      return {};
    }),
    hideToast: callbackApi(env, 'hideToast', () => {
      log.push({ api: 'hideToast' });
      return {};
    }),
    showLoading: callbackApi(env, 'showLoading', ({ title }) => {
      log.push({ api: 'showLoading', title });
      return {};
    }),
    hideLoading: callbackApi(env, 'hideLoading', () => {
      log.push({ api: 'hideLoading' });
      return {};
    }),
  };
}
