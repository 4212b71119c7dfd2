// The home page: the catalogue. Page views, page leave and shares are captured by Spoor; the
// code here is the shop's own.
const shop = require('../../shop');

const app = getApp();

Page({
  data: { products: shop.PRODUCTS },

  onOpen(event) {
    wx.navigateTo({ url: `/pages/product/product?id=${event.currentTarget.dataset.id}` });
  },

  // Listed in `taps` (app.js): each call is also recorded as $MPClick, with data-id.
  onBuy(event) {
    shop.buy(app.spoor, shop.findProduct(event.currentTarget.dataset.id));
  },

  onMe() {
    wx.navigateTo({ url: '/pages/me/me' });
  },

  // Without a path WeChat shares this page; Spoor appends spoor_sharer to it.
  onShareAppMessage() {
    return { title: 'Tea, teaware and mooncakes' };
  },
});
