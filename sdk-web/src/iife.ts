import { boot } from './snippet.js';

try {
  boot();
} catch (error) {
  // Nothing the page configured may break the page; the developer still learns why.
  console.error('[spoor] could not start:', error);
}
