// The client on a fake platform, with its drops and errors collected: what the API tests use.
import { createClient, type SpoorClient } from '../api.js';
import type { DropNotice } from '../drops.js';
import type { ClientError } from '../emitter.js';
import type { KeyValueStorage } from '../platform.js';
import { createFakePlatform } from './fake-platform.js';

const LIBRARY = { name: '@spoor/test', version: '0.0.0' };

export function setup(
  options: Partial<Parameters<typeof createClient>[1]> = {},
  storage?: KeyValueStorage,
) {
  const fake = createFakePlatform(storage ? { storage } : {});
  const client = createClient(fake.platform, {
    writeKey: 'wk',
    host: 'https://t.example.com',
    library: LIBRARY,
    flushAt: 1,
    ...options,
  });
  const drops: DropNotice[] = [];
  const errors: ClientError[] = [];
  client.on('drop', (d) => drops.push(d));
  client.on('error', (e) => errors.push(e));
  return { fake, client, drops, errors };
}

/** Every event sent, after a flush. */
export async function sentEvents(fake: ReturnType<typeof createFakePlatform>, client: SpoorClient) {
  await client.flush();
  return fake.events();
}
