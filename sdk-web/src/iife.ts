import { boot } from './snippet.js';

try {
  boot();
} catch {
  // Nothing the page configured may break the page.
}
