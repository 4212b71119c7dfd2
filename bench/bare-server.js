// Limit A: what HTTP on loopback plus JSON parsing costs on this machine, with nothing else.
// Runs as a child of run.js so that it does not share an event loop with the load generator.
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 512 * 1024 });
app.removeAllContentTypeParsers();
app.addContentTypeParser(
  ['application/json', 'text/plain'],
  { parseAs: 'string' },
  (_request, body, done) => {
    try {
      done(null, JSON.parse(body));
    } catch (error) {
      done(error);
    }
  },
);
let events = 0;
app.post('/v1/batch', async (request) => {
  // Touch the result so the parse cannot be optimised away, and count what was received.
  events += request.body.batch.length;
  return { success: true };
});

const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.send({ type: 'ready', url });
process.on('message', (message) => {
  if (message.type !== 'close') return;
  void app.close().then(() => {
    process.send({ type: 'closed', events }, () => process.exit(0));
  });
});
