/**
 * Sleeps that end early: on `wake()` (new work was committed) or when their signal aborts.
 * The delivery loops of the outbox forwarder and of activation wait on one each.
 */
export class Waker {
  private _sleepers: (() => void)[] = [];

  /** Ends every wakeable sleep now. */
  wake(): void {
    for (const resolve of this._sleepers.splice(0)) resolve();
  }

  /** Resolves after `ms`, on abort, or (if `wakeable`) on `wake()`. */
  sleep(ms: number, signal: AbortSignal, wakeable = true): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this._sleepers = this._sleepers.filter((w) => w !== done);
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      if (wakeable) this._sleepers.push(done);
    });
  }
}
