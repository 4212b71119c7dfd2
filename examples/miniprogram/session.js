// The logged-in member ({ id, phone }), kept in wx storage from one launch to the next.
const KEY = 'example.member';

module.exports = {
  load() {
    // WeChat answers '' for a key it does not have.
    return wx.getStorageSync(KEY) || null;
  },
  save(member) {
    wx.setStorageSync(KEY, member);
  },
  clear() {
    wx.removeStorageSync(KEY);
  },
};
