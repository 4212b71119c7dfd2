import type { ClientOptions, OutgoingEvent, Plugin, SpoorClient } from '@spoor/sdk-core';

/** A browser plugin: a core plugin that may also hook into the page when the client starts. */
export interface WebPlugin extends Plugin {
  /** Called once with the client; may return a function that undoes what it set up. */
  setup?(spoor: SpoorClient): void | (() => void);
}

/** Options of {@link createSpoor}. */
export interface WebOptions extends Omit<
  ClientOptions,
  'library' | 'plugins' | 'requireUser' | 'persistQueue'
> {
  plugins?: WebPlugin[];
  /**
   * Domain of the identity cookies: a string, `false` for a host-only cookie, or unset to use
   * the registrable domain so that every subdomain shares the visitor (`shop.example.com` and
   * `www.example.com` → `example.com`).
   */
  cookieDomain?: string | false;
  /** Ms without an event after which a new session starts (default 30 minutes). */
  sessionTimeout?: number;
  /** Start with consent denied when the browser sends Do-Not-Track or Global Privacy Control. */
  respectDoNotTrack?: boolean;
  /**
   * Last look at every event before it is queued: return it (changed or not) to keep it, or
   * null to drop it. For masking what must not leave the page (phone numbers, ID numbers).
   */
  beforeSend?: (event: OutgoingEvent) => OutgoingEvent | null;
}

/** Whether the browser asks not to be tracked (DNT or GPC). */
export function doNotTrack(): boolean {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const win = window as Window & { doNotTrack?: string };
  return nav.globalPrivacyControl === true || nav.doNotTrack === '1' || win.doNotTrack === '1';
}
