// Shared by both pages: the catalogue, the cart and the signed-in shopper (kept in localStorage so
// they survive the full page loads between the single-page app and product.html), a tiny
// DOM builder that never parses HTML, and the "What Spoor saw" panel.

/** The shop's catalogue; prices in CNY. */
export const PRODUCTS = [
  { id: 'sku-101', name: 'Oolong tea, 250 g', category: 'Tea', price: 88, emoji: '🍵' },
  { id: 'sku-102', name: 'Porcelain teapot', category: 'Teaware', price: 268, emoji: '🫖' },
  { id: 'sku-103', name: 'Mooncake gift box', category: 'Snacks', price: 158, emoji: '🥮' },
  {
    id: 'sku-104',
    name: 'Bamboo chopsticks (10 pairs)',
    category: 'Kitchen',
    price: 39,
    emoji: '🥢',
  },
  { id: 'sku-105', name: 'Silk fan', category: 'Gifts', price: 120, emoji: '🪭' },
  { id: 'sku-106', name: 'Red lantern', category: 'Gifts', price: 45, emoji: '🏮' },
];

const KEYS = { cart: 'spoor-demo:cart', user: 'spoor-demo:user', orders: 'spoor-demo:orders' };

/** The Spoor client; looked up on every call because the SDK replaces the snippet's stub. */
export const spoor = () => window.spoor;

export const findProduct = (id) => PRODUCTS.find((p) => p.id === id) ?? null;

export const money = (amount) => `¥${amount.toFixed(2)}`;

function load(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? '') ?? fallback;
  } catch {
    return fallback;
  }
}

const save = (key, value) => localStorage.setItem(key, JSON.stringify(value));

/** Cart lines with their products: `[{ product, quantity }]`. */
export function cartLines() {
  return load(KEYS.cart, [])
    .map((line) => ({ product: findProduct(line.id), quantity: line.quantity }))
    .filter((line) => line.product !== null && line.quantity > 0);
}

export function addToCart(product, quantity = 1) {
  const cart = load(KEYS.cart, []);
  const line = cart.find((l) => l.id === product.id);
  if (line) line.quantity += quantity;
  else cart.push({ id: product.id, quantity });
  save(KEYS.cart, cart);
  spoor().track('Product Added', {
    ...productProperties(product),
    quantity,
  });
}

export function removeFromCart(product) {
  const cart = load(KEYS.cart, []);
  const line = cart.find((l) => l.id === product.id);
  save(
    KEYS.cart,
    cart.filter((l) => l.id !== product.id),
  );
  spoor().track('Product Removed', {
    ...productProperties(product),
    quantity: line?.quantity ?? 0,
  });
}

export const clearCart = () => save(KEYS.cart, []);

export const cartCount = () => cartLines().reduce((n, line) => n + line.quantity, 0);

/** Properties of a product as Segment's e-commerce spec names them. */
export function productProperties(product) {
  return {
    product_id: product.id,
    sku: product.id,
    name: product.name,
    category: product.category,
    price: product.price,
    currency: 'CNY',
  };
}

export const currentUser = () => load(KEYS.user, null);

/** Signs in: a stable user ID from the e-mail, and `identify` joins this visitor to it. */
export function logIn(email, name) {
  const user = {
    id: `shopper-${email.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    email,
    name,
  };
  save(KEYS.user, user);
  spoor().identify(user.id, { email, name });
  return user;
}

/** Signs out: `reset` forgets the user ID and starts a new anonymous visitor. */
export function logOut() {
  localStorage.removeItem(KEYS.user);
  spoor().reset();
}

export function saveOrder(order) {
  save(KEYS.orders, { ...load(KEYS.orders, {}), [order.order_id]: order });
}

export const findOrder = (id) => load(KEYS.orders, {})[id] ?? null;

/** Builds an element: `h('a', { href: '/x', class: 'y' }, 'text', child)`; text is never HTML. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value !== false && value !== undefined) element.setAttribute(name, String(value));
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined));
  return element;
}

/** A client property or method (`anonymousId`, `userId`), or null while the stub is in place. */
function clientValue(name) {
  const client = spoor();
  if (!client || Array.isArray(client)) return null;
  const value = client[name];
  return (typeof value === 'function' ? value.call(client) : value) ?? null;
}

/**
 * Shows who Spoor thinks this visitor is and how to look at what it stored. The read API needs
 * the admin token, which must never be in a web page: the commands carry a placeholder for the
 * token the collector printed when it started.
 */
export function renderSawPanel(container) {
  const anonymousId = clientValue('anonymousId');
  const userId = clientValue('userId');
  const base = location.origin;
  const auth = `-H "authorization: Bearer $SPOOR_ADMIN_TOKEN"`;
  const ref = userId
    ? `user_id:${encodeURIComponent(userId)}`
    : `anonymous_id:${encodeURIComponent(anonymousId ?? '…')}`;
  const loaded = anonymousId !== null;
  container.replaceChildren(
    h(
      'details',
      { class: 'saw' },
      h('summary', {}, 'What Spoor saw'),
      loaded
        ? h(
            'p',
            {},
            'Anonymous ID ',
            h('code', {}, anonymousId),
            userId ? [' · user ID ', h('code', {}, userId)] : ' · not logged in',
          )
        : h(
            'p',
            { class: 'warning' },
            'The Spoor web SDK is not loaded (is /spoor.js built? run pnpm build and reload).',
          ),
      h(
        'p',
        {},
        'Set SPOOR_ADMIN_TOKEN to the admin token the collector printed when it started, then:',
      ),
      h('pre', {}, `# the latest events, newest first\ncurl ${auth} '${base}/v1/events?limit=20'`),
      h('pre', {}, `# this visitor's profile (ONE ID)\ncurl ${auth} '${base}/v1/profiles/${ref}'`),
      h('pre', {}, `# its timeline\ncurl ${auth} '${base}/v1/profiles/${ref}/events'`),
      h('button', { type: 'button', onclick: () => renderSawPanel(container) }, 'Refresh'),
    ),
  );
  if (container.dataset.open === 'true') container.querySelector('details').open = true;
  container.querySelector('details').addEventListener('toggle', (event) => {
    container.dataset.open = String(event.target.open);
  });
}

/** Renders the panel now and again once the SDK has loaded (the load event waits for it). */
export function mountSawPanel(container) {
  renderSawPanel(container);
  window.addEventListener('load', () => renderSawPanel(container));
}
