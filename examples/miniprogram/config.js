// Where the example sends its events, and where your own server is. Plain CommonJS, as WeChat
// runs it (the test in sdk-miniprogram/test/example.test.ts swaps this file for its own).
module.exports = {
  // The Spoor collector. `pnpm start` at the repository root runs one on port 8080. In WeChat
  // DevTools 127.0.0.1 is this computer (with "urlCheck": false in project.config.json); a phone
  // (Preview, remote debugging) needs the computer's LAN address, and a released mini-program
  // an https domain on its request allow-list (request 合法域名).
  host: 'http://127.0.0.1:8080',
  // `pnpm start` prints the development write key on its "Ingest API" line
  // (`write key: dev_…`). It is kept in .spoor/dev-credentials.json, so it stays the same
  // from one start to the next.
  writeKey: 'dev_PASTE_THE_WRITE_KEY_PNPM_START_PRINTS',
  // Your server's base URL for login (server.js). Empty: server.js answers with made-up
  // accounts, since this example has no server.
  apiBase: '',
};
