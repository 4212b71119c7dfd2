// The shop's catalogue (prices in CNY) and what buying does.
const PRODUCTS = [
  { id: 'sku-101', name: 'Oolong tea, 250 g', category: 'Tea', price: 88, emoji: '🍵' },
  { id: 'sku-102', name: 'Porcelain teapot', category: 'Teaware', price: 268, emoji: '🫖' },
  { id: 'sku-103', name: 'Mooncake gift box', category: 'Snacks', price: 158, emoji: '🥮' },
];

function findProduct(id) {
  return PRODUCTS.find((product) => product.id === id) || null;
}

/** A product as event properties. */
function productProperties(product) {
  return {
    product_id: product.id,
    name: product.name,
    category: product.category,
    price: product.price,
    currency: 'CNY',
  };
}

/**
 * Orders one product. A real shop creates the order on its server and calls
 * wx.requestPayment; the order is tracked once the payment succeeded.
 */
function buy(spoor, product) {
  spoor.track('Order Completed', {
    order_id: `order-${Date.now().toString(36)}`,
    revenue: product.price,
    currency: 'CNY',
    products: [Object.assign(productProperties(product), { quantity: 1 })],
  });
  wx.showToast({ title: 'Ordered', icon: 'success' });
}

module.exports = { PRODUCTS, findProduct, productProperties, buy };
