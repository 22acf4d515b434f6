/**
 * The page's stylesheet and script, served from the gateway itself
 * (`/local/app.css`, `/local/app.js`) so the CSP can forbid everything
 * inline and everything from elsewhere. Phone first: one column at 375 px.
 */
export const APP_CSS = `*{box-sizing:border-box}
body{font:16px/1.5 'Noto Sans SC',system-ui,sans-serif;margin:0;background:#f6f7f9;color:#222}
main{max-width:720px;margin:0 auto;padding:12px}
h1{font-size:1.15em;margin:0 0 8px}h2{font-size:1.05em;margin:18px 0 6px}small{font-weight:normal;color:#555}
header{display:flex;justify-content:space-between;align-items:flex-start;gap:8px}
ul{list-style:none;padding:0;margin:0}
li{background:#fff;border-radius:8px;padding:8px 10px;margin:6px 0;border-left:4px solid #bbb;overflow-wrap:anywhere}
li.critical{border-color:#d32f2f}li.warning{border-color:#f9a825}
.t{color:#666;font-size:.85em}.sev{font-size:.8em;color:#555}.s{font-size:.85em}
.kv{display:grid;grid-template-columns:1fr 1fr;gap:6px}
.kv span{background:#fff;border-radius:8px;padding:6px 8px;font-size:.9em}.kv b{display:block;font-size:1.1em}
.row{display:flex;justify-content:space-between;gap:8px}
.state{font-size:.9em;white-space:nowrap}.on{color:#2e7d32}.off{color:#c62828}.unk{color:#777}
li.dev{border-color:#90a4ae}
.values{display:flex;flex-wrap:wrap;gap:4px 12px;margin:4px 0}.v i{font-style:normal;color:#555;font-size:.85em}
button,.btn{font:inherit;border:0;border-radius:8px;padding:10px 16px;background:#1565c0;color:#fff;min-height:44px;cursor:pointer;text-decoration:none;display:inline-block}
button:disabled{background:#90a4ae}
button.link{background:none;color:#1565c0;padding:4px;min-height:0}
.result{margin-top:6px;font-size:.9em}.pass{color:#fff;background:#2e7d32;border-radius:4px;padding:1px 6px}
.fail{color:#fff;background:#c62828;border-radius:4px;padding:1px 6px}
.login main{max-width:360px;padding-top:12vh}
.login label{display:block;margin:12px 0 4px}
.login input{font:inherit;width:100%;padding:10px;border:1px solid #999;border-radius:8px;margin-bottom:12px}
.login button{width:100%}.err{color:#c62828}
`;

/** Polls `/local/state` and runs device tests in place. Builds DOM with textContent only (nothing from the wire is parsed as HTML). */
export const APP_JS = `'use strict';
(function () {
  var POLL_MS = 3000;
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clock(t) { var d = new Date(t + 8 * 3600000); return pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds()); }
  function onlineText(o) { return o === null ? '未知 unknown' : o ? '在线 online' : '离线 offline'; }
  function onlineClass(o) { return o === null ? 'unk' : o ? 'on' : 'off'; }
  function card(id) { var all = document.querySelectorAll('li.dev'); for (var i = 0; i < all.length; i++) if (all[i].getAttribute('data-id') === id) return all[i]; return null; }
  function render(s) {
    $('uplink').textContent = s.uplink === 'online' ? '已连接 online' : '未连接 ' + s.uplink;
    $('depth').textContent = String(s.buffer.depth);
    $('flows-version').textContent = s.flowsVersion || '—';
    $('online').textContent = s.devices.filter(function (d) { return d.online; }).length + '/' + s.devices.length;
    $('updated').textContent = clock(s.now);
    s.devices.forEach(function (d) {
      var c = card(d.id); if (!c) return;
      var st = c.querySelector('.state'); st.className = 'state ' + onlineClass(d.online); st.textContent = onlineText(d.online);
      var vs = c.querySelector('.values'); vs.textContent = '';
      if (!d.values.length) vs.appendChild(el('span', 't', '暂无数据 no reading yet'));
      d.values.forEach(function (v) {
        var s1 = el('span', 'v'); s1.appendChild(el('i', '', v.name)); s1.appendChild(document.createTextNode(' '));
        s1.appendChild(el('b', '', String(v.value))); if (v.unit) s1.appendChild(document.createTextNode(' ' + v.unit)); vs.appendChild(s1);
      });
    });
    var ul = $('events'); ul.textContent = '';
    if (!s.events.length) ul.appendChild(el('li', 'none', '无 none'));
    s.events.forEach(function (e) {
      var li = el('li', e.severity); li.appendChild(el('b', '', e.label)); li.appendChild(document.createTextNode(' '));
      li.appendChild(el('span', 'sev', e.severityLabel)); li.appendChild(el('br'));
      li.appendChild(el('span', 't', clock(e.receivedAt) + ' · ' + e.deviceId));
      if (e.summary) { li.appendChild(el('br')); li.appendChild(el('span', 's', e.summary)); }
      ul.appendChild(li);
    });
  }
  function poll() {
    fetch('/local/state', { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } })
      .then(function (r) { if (r.status === 401) { location.reload(); throw new Error('logged out'); } return r.json(); })
      .then(render)
      .catch(function () {})
      .then(function () { setTimeout(poll, POLL_MS); });
  }
  function showVerdict(box, v) {
    box.textContent = '';
    box.appendChild(el('span', v.ok ? 'pass' : 'fail', v.ok ? '通过 pass' : '失败 fail'));
    box.appendChild(document.createTextNode(' ' + v.detail));
    if (!v.ok) { box.appendChild(el('br')); box.appendChild(el('b', '', '处理 fix: ')); box.appendChild(document.createTextNode(v.fix)); }
  }
  document.querySelectorAll('form.test').forEach(function (f) {
    f.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var btn = f.querySelector('button'); var box = f.parentNode.querySelector('.result');
      btn.disabled = true; box.textContent = '测试中… testing…';
      fetch('/local/test', { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(new FormData(f)).toString() })
        .then(function (r) { return r.json(); })
        .then(function (v) { if (v.error) box.textContent = v.error; else showVerdict(box, v); })
        .catch(function () { box.textContent = '网络错误 network error'; })
        .then(function () { btn.disabled = false; });
    });
  });
  setTimeout(poll, POLL_MS);
})();
`;
