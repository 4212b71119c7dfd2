// Login, registered with Component() as Taro and uni-app register pages: the page lifecycle
// (onLoad, onShow) and the handlers are `methods`. Spoor captures it like a Page().
//
// Login: wx.login → code → your server → openid (+ unionid) → spoor.bind(…) and
// spoor.identify(memberId). The phone button: code → your server → spoor.bind({ phone }).
const server = require('../../server');
const session = require('../../session');

function wxLogin() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => resolve(res.code),
      fail: (err) => reject(new Error(err.errMsg)),
    });
  });
}

Component({
  data: { member: null, busy: false, anonymousId: '', userId: '' },

  methods: {
    onLoad() {
      this.refresh();
    },

    onShow() {
      this.refresh();
    },

    refresh() {
      const spoor = getApp().spoor;
      this.setData({
        member: session.load(),
        anonymousId: spoor.anonymousId,
        userId: spoor.userId || '',
      });
    },

    onLogin() {
      const spoor = getApp().spoor;
      this.setData({ busy: true });
      wxLogin()
        .then((code) => server.exchangeCode(code))
        .then((account) => {
          // Bound identities go with every event from now on (and are kept across launches);
          // the identify right after carries them, with the anonymous ID, to the collector,
          // which links them into one profile.
          const identities = { wechat_openid: account.openid };
          if (account.unionid) identities.wechat_unionid = account.unionid;
          spoor.bind(identities);
          spoor.identify(account.memberId, { login_method: 'wechat' });
          const member = { id: account.memberId, phone: '' };
          session.save(member);
          getApp().globalData.member = member;
          this.setData({ busy: false });
          this.refresh();
          wx.showToast({ title: 'Logged in', icon: 'success' });
        })
        .catch((error) => {
          this.setData({ busy: false });
          console.warn('login failed', error);
          wx.showToast({ title: 'Login failed', icon: 'none' });
        });
    },

    // <button open-type="getPhoneNumber">: `detail.code` when the user agreed (base library
    // 2.21.2+), only `detail.errMsg` when they refused.
    onGetPhoneNumber(event) {
      const code = event.detail && event.detail.code;
      const member = session.load();
      if (!code || !member) return;
      const spoor = getApp().spoor;
      server
        .exchangePhoneCode(code)
        .then((result) => {
          // An identity, not a trait: traits are stored as sent, while the collector can keep
          // identities hashed (SPOOR_SENSITIVE_IDENTITIES). Identify again so that the phone
          // reaches the collector now rather than with the next event.
          spoor.bind({ phone: result.phone });
          spoor.identify(member.id, { phone_verified: true });
          session.save({ id: member.id, phone: result.phone });
          this.refresh();
        })
        .catch((error) => console.warn('phone number failed', error));
    },

    onLogout() {
      // A new anonymous ID; the user ID and the bound identities are forgotten.
      getApp().spoor.reset();
      session.clear();
      getApp().globalData.member = null;
      this.refresh();
    },
  },
});
