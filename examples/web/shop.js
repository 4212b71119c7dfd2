// The single-page part of the shop: product list, cart, login and order confirmation, switched
// with history.pushState. Spoor's page-view autocapture records each switch as a page view; this
// file only tracks the business events.
import {
  PRODUCTS,
  addToCart,
  cartCount,
  cartLines,
  clearCart,
  currentUser,
  findOrder,
  h,
  logIn,
  logOut,
  money,
  mountSawPanel,
  productProperties,
  removeFromCart,
  renderSawPanel,
  saveOrder,
  spoor,
} from './store.js';

const BASE = '/demo/';
const main = document.querySelector('main');
const nav = document.querySelector('#account');
const panel = document.querySelector('#saw');

const productLink = (product, ...children) =>
  h('a', { href: `${BASE}product.html?id=${encodeURIComponent(product.id)}` }, ...children);

/** In-app link: navigates without reloading the page. */
const link = (path, ...children) => h('a', { href: BASE + path, 'data-link': '' }, ...children);

function listView() {
  spoor().track('Product List Viewed', {
    list_id: 'all',
    products: PRODUCTS.map((p, i) => ({ product_id: p.id, price: p.price, position: i + 1 })),
  });
  return [
    h('h1', {}, 'Today in the shop'),
    h(
      'ul',
      { class: 'grid' },
      PRODUCTS.map((product) =>
        h(
          'li',
          { class: 'card' },
          productLink(product, h('span', { class: 'emoji' }, product.emoji)),
          productLink(product, h('strong', {}, product.name)),
          h('span', { class: 'price' }, money(product.price)),
          h(
            'button',
            {
              type: 'button',
              onclick: (event) => {
                addToCart(product);
                event.currentTarget.textContent = 'Added ✓';
                renderAccount();
                renderSawPanel(panel);
              },
            },
            'Add to cart',
          ),
        ),
      ),
    ),
  ];
}

function cartView() {
  const lines = cartLines();
  if (lines.length === 0)
    return [h('h1', {}, 'Your cart'), h('p', {}, 'Empty. ', link('', 'Browse products'))];
  const total = lines.reduce((sum, l) => sum + l.product.price * l.quantity, 0);
  return [
    h('h1', {}, 'Your cart'),
    h(
      'table',
      {},
      lines.map(({ product, quantity }) =>
        h(
          'tr',
          {},
          h('td', {}, productLink(product, product.name)),
          h('td', {}, `× ${quantity}`),
          h('td', { class: 'price' }, money(product.price * quantity)),
          h(
            'td',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'quiet',
                onclick: () => {
                  removeFromCart(product);
                  render();
                },
              },
              'Remove',
            ),
          ),
        ),
      ),
      h('tr', {}, h('th', {}, 'Total'), h('td'), h('th', { class: 'price' }, money(total))),
    ),
    // Tracked by Spoor's click autocapture through the attribute, not by this file.
    h(
      'button',
      { type: 'button', 'data-spoor-event': 'Checkout Started', onclick: () => checkout(lines) },
      currentUser() ? 'Place order' : 'Log in to order',
    ),
  ];
}

function checkout(lines) {
  if (!currentUser()) return navigate('login?next=cart');
  const products = lines.map(({ product, quantity }) => ({
    ...productProperties(product),
    quantity,
  }));
  const order = {
    order_id: `o-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
    revenue: products.reduce((sum, p) => sum + p.price * p.quantity, 0),
    currency: 'CNY',
    products,
  };
  spoor().track('Order Completed', order);
  saveOrder(order);
  clearCart();
  navigate(`orders/${order.order_id}`);
}

function loginView() {
  const next = new URLSearchParams(location.search).get('next') ?? '';
  const email = h('input', {
    type: 'email',
    name: 'email',
    required: true,
    value: 'li.lei@example.com',
  });
  const name = h('input', { type: 'text', name: 'name', required: true, value: 'Li Lei' });
  const submit = (event) => {
    event.preventDefault();
    logIn(email.value.trim(), name.value.trim());
    navigate(next);
  };
  return [
    h('h1', {}, 'Log in'),
    h(
      'form',
      { onsubmit: submit },
      h('label', {}, 'E-mail ', email),
      h('label', {}, 'Name ', name),
      h('button', { type: 'submit' }, 'Log in'),
    ),
    h('p', { class: 'hint' }, 'No password: this is a demo. Logging in calls spoor.identify().'),
  ];
}

function orderView(id) {
  const order = findOrder(id);
  return [
    h('h1', {}, 'Thank you!'),
    h('p', {}, 'Order ', h('code', {}, order.order_id), ` · ${money(order.revenue)}`),
    h(
      'ul',
      {},
      order.products.map((p) => h('li', {}, `${p.name} × ${p.quantity}`)),
    ),
    link('', 'Continue shopping'),
  ];
}

const notFoundView = () => [h('h1', {}, 'Nothing here'), link('', 'Go to the shop')];

/** A path's title and view; the view runs after the URL changed, so its events carry the new page. */
function route(path) {
  if (path === '') return { title: 'Products', view: listView };
  if (path === 'cart') return { title: 'Cart', view: cartView };
  if (path === 'login') return { title: 'Log in', view: loginView };
  const order = /^orders\/([\w-]+)$/.exec(path);
  if (order && findOrder(order[1])) return { title: 'Thank you', view: () => orderView(order[1]) };
  return { title: 'Not found', view: notFoundView };
}

function renderAccount() {
  const user = currentUser();
  const count = cartCount();
  nav.replaceChildren(
    link('cart', `Cart (${count})`),
    user
      ? h(
          'span',
          {},
          ` · ${user.name} `,
          h(
            'button',
            {
              type: 'button',
              class: 'quiet',
              onclick: () => {
                logOut();
                navigate('');
              },
            },
            'Log out',
          ),
        )
      : [' · ', link('login', 'Log in')],
  );
}

function show({ title, view }) {
  document.title = `${title} · Spoor demo shop`;
  return () => {
    main.replaceChildren(...view());
    renderAccount();
    renderSawPanel(panel);
  };
}

function render() {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : '';
  show(route(path))();
}

/** Client-side navigation; the title changes before pushState so the page view carries it. */
function navigate(target) {
  const url = new URL(BASE + target, location.origin);
  const draw = show(route(url.pathname.slice(BASE.length)));
  history.pushState(null, '', url.pathname + url.search);
  draw();
}

document.addEventListener('click', (event) => {
  const anchor = event.target instanceof Element ? event.target.closest('a[data-link]') : null;
  if (!anchor || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(anchor.getAttribute('href').slice(BASE.length));
});
window.addEventListener('popstate', render);

render();
mountSawPanel(panel);
