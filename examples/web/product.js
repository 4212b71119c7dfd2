// product.html is a separate page (a full page load, unlike the single-page app's views): the
// page view comes from Spoor's autocapture, "Product Viewed" and "Product Added" from here.
import {
  addToCart,
  cartCount,
  findProduct,
  h,
  money,
  mountSawPanel,
  productProperties,
  renderSawPanel,
  spoor,
} from './store.js';

const main = document.querySelector('main');
const panel = document.querySelector('#saw');
const cartLink = document.querySelector('#cart-count');
const product = findProduct(new URLSearchParams(location.search).get('id'));

function showCount() {
  cartLink.textContent = `Cart (${cartCount()})`;
}

if (product) {
  document.title = `${product.name} · Spoor demo shop`;
  spoor().track('Product Viewed', productProperties(product));
  const quantity = h('input', { type: 'number', min: 1, max: 9, value: 1, name: 'quantity' });
  main.replaceChildren(
    h('span', { class: 'emoji big' }, product.emoji),
    h('h1', {}, product.name),
    h('p', { class: 'price' }, money(product.price)),
    h('p', { class: 'hint' }, `Category: ${product.category} · SKU ${product.id}`),
    h('label', {}, 'Quantity ', quantity),
    h(
      'button',
      {
        type: 'button',
        onclick: (event) => {
          addToCart(product, Math.min(9, Math.max(1, Number(quantity.value) || 1)));
          event.currentTarget.textContent = 'Added ✓';
          showCount();
          renderSawPanel(panel);
        },
      },
      'Add to cart',
    ),
    ' ',
    // Tracked by Spoor's click autocapture through the attribute, not by this file.
    h('button', { type: 'button', class: 'quiet', 'data-spoor-event': 'Product Shared' }, 'Share'),
  );
} else {
  document.title = 'Not found · Spoor demo shop';
  main.replaceChildren(
    h('h1', {}, 'No such product'),
    h('a', { href: '/demo/' }, 'Go to the shop'),
  );
}
showCount();
mountSawPanel(panel);
