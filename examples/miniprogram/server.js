// Your server's part of login. The openid, unionid and phone number come from WeChat's server
// APIs, which take the mini-program's AppSecret: that secret must never be in the mini-program,
// so a real app sends the one-time codes to its own server.
//
// PLACEHOLDER: this example has no server. With `apiBase` empty in config.js, the functions
// below answer with made-up values after a short delay; set `apiBase` to use yours.
const config = require('./config');

/**
 * wx.login's code → `{ openid, unionid, memberId }`. Your server calls
 * GET https://api.weixin.qq.com/sns/jscode2session?appid=…&secret=…&js_code=<code>&grant_type=authorization_code
 * (→ openid, session_key, and unionid when the mini-program is bound to a WeChat Open Platform
 * account), then finds or creates the member.
 */
function exchangeCode(code) {
  if (config.apiBase) return post('/wechat/login', { code });
  return answerLater({
    openid: 'o-demo-openid-0001',
    unionid: 'u-demo-unionid-0001',
    memberId: 'member-1001',
  });
}

/**
 * The code of a getPhoneNumber button → `{ phone }`. Your server calls
 * POST https://api.weixin.qq.com/wxa/business/getuserphonenumber?access_token=… with `{ code }`.
 */
function exchangePhoneCode(code) {
  if (config.apiBase) return post('/wechat/phone', { code });
  return answerLater({ phone: '13800138000' });
}

function answerLater(value) {
  return new Promise((resolve) => setTimeout(() => resolve(value), 200));
}

function post(path, data) {
  return new Promise((resolve, reject) => {
    wx.request({
      url: config.apiBase + path,
      method: 'POST',
      data,
      success: (res) =>
        res.statusCode >= 200 && res.statusCode < 300
          ? resolve(res.data)
          : reject(new Error(`${path} answered ${res.statusCode}`)),
      fail: (err) => reject(new Error(err.errMsg)),
    });
  });
}

module.exports = { exchangeCode, exchangePhoneCode };
