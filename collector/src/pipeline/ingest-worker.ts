import { parentPort, workerData } from 'node:worker_threads';
import type { Limits } from '@spoor/schemas';
import type { WriteKey } from '../config.js';
import { createNormalizer } from '../identity/identifiers.js';
import type { IdentityRules } from '../identity/rules.js';
import { createKeyring } from '../plugins/auth.js';
import { transferList } from '../store/row-codec.js';
import { workerInput } from '../workers/spawn.js';
import { prepareRequest, type IngestInput, type IngestPrepared } from './ingest-request.js';
import { createUserAgentParser } from './user-agent.js';
import { createEventValidator } from './validate.js';

/** What an ingest worker is started with. */
export interface IngestWorkerData {
  limits: Limits;
  identityTypes: string[];
  identity: IdentityRules | null;
  purchaseEvents: string[];
  maxFutureMs: number;
  maxPastMs: number;
  writeKeys: WriteKey[];
}

/** A message to an ingest worker, and its answer. */
export type IngestCall = { id: number; input: IngestInput };
export type IngestReply =
  { id: number; result: IngestPrepared } | { id: number; error: string } | { ready: true };

const port = parentPort;
if (!port) throw new Error('ingest-worker must run in a worker thread');
const data = workerInput<IngestWorkerData>(workerData);
const settings = {
  limits: data.limits,
  identityTypes: new Set(data.identityTypes),
  maxFutureMs: data.maxFutureMs,
  maxPastMs: data.maxPastMs,
  parseUserAgent: createUserAgentParser(),
  validate: createEventValidator(),
  identity: data.identity && { rules: data.identity, normalize: createNormalizer(data.identity) },
  purchaseEvents: new Set(data.purchaseEvents),
};
const keyring = createKeyring(data.writeKeys);

port.on('message', ({ id, input }: IngestCall) => {
  try {
    const result = prepareRequest(input, settings, keyring);
    const transfer = result.ok ? [...transferList(result.rows), result.rowIndex.buffer] : [];
    port.postMessage({ id, result } satisfies IngestReply, transfer);
  } catch (error) {
    port.postMessage({
      id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    } satisfies IngestReply);
  }
});
port.postMessage({ ready: true } satisfies IngestReply);
