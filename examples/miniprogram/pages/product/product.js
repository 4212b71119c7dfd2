// A product. It tracks its own business event; Spoor adds the page view, the $MPClick of onBuy
// and the share, and puts the sharer into shared paths.
const shop = require('../../shop');

const app = getApp();
const SHARE_IMAGE = '/images/share-card.png';

Page({
  data: { product: null },

  // `query` is the page's URL query: `id`, and `spoor_sharer` when the page was opened from a
  // shared card (Spoor reads it itself).
  onLoad(query) {
    const product = shop.findProduct(query.id) || shop.PRODUCTS[0];
    this.setData({ product });
    app.spoor.track('Product Viewed', shop.productProperties(product));
  },

  // Listed in `taps` (app.js): also recorded as $MPClick.
  onBuy() {
    shop.buy(app.spoor, this.data.product);
  },

  // Spoor keeps title and imageUrl as they are and appends spoor_sharer=<this user's anonymous
  // ID> to the path, so the friend who opens the card is attributed to this user.
  onShareAppMessage() {
    const product = this.data.product;
    return {
      title: `${product.name} · ¥${product.price}`,
      imageUrl: SHARE_IMAGE,
      path: `/pages/product/product?id=${product.id}`,
    };
  },

  // Moments (base library 2.11.3+; WeChat shows the menu item only with onShareAppMessage too).
  // Spoor appends spoor_sharer to `query`.
  onShareTimeline() {
    const product = this.data.product;
    return { title: product.name, query: `id=${product.id}`, imageUrl: SHARE_IMAGE };
  },
});
