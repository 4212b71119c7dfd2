// A service using the built @spoor/node: tracks events as fast as it can and, on SIGTERM,
// closes the client (delivering what is queued) before exiting. Argv: host, writeKey.
import { Spoor } from '../dist/index.js';

const [host, writeKey] = process.argv.slice(2);
const spoor = new Spoor({ host, writeKey, flushAt: 50, flushInterval: 10_000 });
let sent = 0;
let timer;
process.on('SIGTERM', () => {
  clearTimeout(timer);
  const accepted = sent;
  void spoor.close(10_000).then(() => {
    process.stdout.write(`${JSON.stringify({ sent: accepted, stats: spoor.stats() })}\n`);
    process.exit(0);
  });
});
const pump = () => {
  for (let i = 0; i < 25; i++) spoor.track('Tick', { n: sent++ }, { userId: `u${sent % 10}` });
  timer = setTimeout(pump, 1);
};
pump();
process.stdout.write('ready\n');
