// Development-only bootstrap: lets a worker thread run the collector's TypeScript sources when
// tests import them directly. The built package starts its workers from compiled JavaScript.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
