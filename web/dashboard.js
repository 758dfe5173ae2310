// orderflow dashboard: renders the state document streamed at /events (Server-Sent Events,
// one per second). No libraries: DOM updates and two small canvas charts.
'use strict';

const $ = (id) => document.getElementById(id);
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtMoney = (n) => n.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2});
const fmtMs = (ms) => (ms < 0 ? '–' : ms >= 1000 ? (ms / 1000).toFixed(2) + ' s' : ms.toFixed(ms < 10 ? 1 : 0) + ' ms');
const clock = (ms) => new Date(ms).toLocaleTimeString('en-GB');
const PALETTE = ['#3b7dd8', '#1f9d55', '#e39b2d', '#8e5bd6', '#d33a2c', '#2bb0b8', '#7a8794'];

function setText(id, text) { const el = $(id); if (el.textContent !== text) el.textContent = text; }
function escapeHtml(s) { return String(s).replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c])); }

function bars(el, entries, emptyText) {
  if (entries.length === 0) { el.innerHTML = `<div class="empty">${emptyText}</div>`; return; }
  const max = Math.max(1, ...entries.map((e) => e[1]));
  el.innerHTML = entries.map(([name, value]) =>
    `<div class="row"><div class="name" title="${escapeHtml(name)}">${escapeHtml(name)}</div>` +
    `<div class="bar"><span style="width:${(100 * value / max).toFixed(1)}%"></span></div>` +
    `<div class="num">${fmtInt(value)}</div></div>`).join('');
}

function mix(el, counts) {
  const entries = Object.entries(counts || {}).sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((s, e) => s + e[1], 0);
  if (total === 0) { el.innerHTML = '<div class="empty">no orders yet</div>'; return; }
  el.innerHTML = entries.map(([name, n], i) => {
    const pct = 100 * n / total;
    return `<span style="width:${pct}%;background:${PALETTE[i % PALETTE.length]}" title="${escapeHtml(name)} ${pct.toFixed(1)}%">${escapeHtml(name)} ${pct.toFixed(0)}%</span>`;
  }).join('');
}

function canvasContext(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight || 160;
  if (canvas.width !== w * ratio) { canvas.width = w * ratio; canvas.height = h * ratio; }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.font = '11px system-ui, sans-serif';
  return {ctx, w, h};
}

function axis(ctx, w, h, max, pad, label) {
  ctx.strokeStyle = '#e4e9f0'; ctx.fillStyle = '#66768a'; ctx.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = pad.t + (h - pad.t - pad.b) * (1 - i / 4);
    ctx.beginPath(); ctx.moveTo(pad.l, y); ctx.lineTo(w - pad.r, y); ctx.stroke();
    ctx.fillText(label(max * i / 4), 2, y + 4);
  }
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v);
}

function throughputChart(series) {
  const {ctx, w, h} = canvasContext($('throughput'));
  const pad = {l: 48, r: 8, t: 8, b: 18};
  const max = niceMax(Math.max(1, ...series.map((p) => Math.max(p.produced_eps, p.processed_eps))));
  axis(ctx, w, h, max, pad, (v) => fmtInt(v));
  if (series.length < 2) { ctx.fillText('waiting for data…', pad.l + 10, h / 2); return; }
  const t0 = series[0].t, t1 = series[series.length - 1].t, span = Math.max(1, t1 - t0);
  const x = (t) => pad.l + (w - pad.l - pad.r) * (t - t0) / span;
  const y = (v) => pad.t + (h - pad.t - pad.b) * (1 - v / max);
  for (const [key, color] of [['produced_eps', '#3b7dd8'], ['processed_eps', '#1f9d55'], ['invalid_eps', '#d33a2c']]) {
    ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath();
    series.forEach((p, i) => (i ? ctx.lineTo(x(p.t), y(p[key])) : ctx.moveTo(x(p.t), y(p[key]))));
    ctx.stroke();
  }
  ctx.fillStyle = '#66768a';
  ctx.fillText(clock(t0), pad.l, h - 4);
  ctx.fillText(clock(t1), w - pad.r - 50, h - 4);
}

function revenueChart(windows) {
  const {ctx, w, h} = canvasContext($('revenue'));
  const pad = {l: 56, r: 8, t: 8, b: 18};
  const max = niceMax(Math.max(1, ...windows.map((x) => x.revenue)));
  axis(ctx, w, h, max, pad, (v) => fmtInt(v));
  if (windows.length === 0) { ctx.fillText('no orders yet', pad.l + 10, h / 2); return; }
  const slot = (w - pad.l - pad.r) / Math.max(windows.length, 8);
  windows.forEach((win, i) => {
    const bh = (h - pad.t - pad.b) * win.revenue / max;
    ctx.fillStyle = win.final ? '#3b7dd8' : '#a9c6ef';
    ctx.fillRect(pad.l + i * slot + 2, h - pad.b - bh, slot - 4, bh);
    if (windows.length <= 8 || i % 2 === windows.length % 2) {
      ctx.fillStyle = '#66768a';
      ctx.fillText(new Date(win.start_ms).toLocaleTimeString('en-GB', {hour: '2-digit', minute: '2-digit'}), pad.l + i * slot + 2, h - 4);
    }
  });
}

function alertList(el, alerts, recent) {
  if (alerts.length === 0) { el.innerHTML = '<li class="none">none</li>'; return; }
  el.innerHTML = alerts.map((a) => {
    const state = a.firing ? 'firing' : 'resolved';
    const when = recent ? `${state} ${clock(a.firing ? a.starts_at_ms : a.ends_at_ms)}` : `since ${clock(a.starts_at_ms)}`;
    return `<li class="${state}"><span class="when">${when}</span><b>${escapeHtml(a.name)}</b> <small>${escapeHtml(a.severity)}</small><br>${escapeHtml(a.summary)}</li>`;
  }).join('');
}

function render(s) {
  const p = s.pipeline || {}, k = s.kpis || {}, alerts = s.alerts || {active: [], recent: []};
  setText('topic', s.topic || '');
  setText('updated', clock(s.updated_ms));
  document.body.dataset.updated = String(s.updated_ms);

  // A command that ended cleanly said so before it went (orderflow_run_finished): not a fault.
  const targets = p.targets || [];
  const finished = targets.filter((t) => !t.up && t.finished);
  const lost = targets.filter((t) => !t.up && !t.finished);
  const status = $('status');
  if (alerts.active.length > 0) {
    status.className = 'status firing';
    status.textContent = `${alerts.active.length} alert${alerts.active.length > 1 ? 's' : ''} firing: ${alerts.active.map((a) => a.name).join(', ')}`;
  } else if (p.brokers_known > 0 && p.brokers_up < p.brokers_known) {
    status.className = 'status degraded';
    status.textContent = `degraded: ${p.brokers_known - p.brokers_up} of ${p.brokers_known} brokers down`;
  } else if (targets.length > 0 && targets.every((t) => !t.up)) {
    status.className = 'status unknown';
    status.textContent = finished.length === targets.length
      ? 'pipeline finished: showing the final figures of its commands'
      : 'pipeline stopped: showing the last figures of its commands';
  } else if (lost.length > 0) {
    status.className = 'status degraded';
    status.textContent = `degraded: ${lost.length} metrics target(s) unreachable`;
  } else {
    status.className = 'status ok';
    status.textContent = finished.length > 0
      ? `healthy: no alerts (${finished.length} command${finished.length > 1 ? 's' : ''} finished)`
      : 'healthy: no alerts';
  }
  const firing = new Set(alerts.active.map((a) => a.name));

  setText('produced-eps', p.has_producer ? fmtInt(p.produced_eps) : '–');
  setText('processed-eps', p.has_processor ? fmtInt(p.processed_eps) : '–');
  const processed = p.processed_total || 0;
  setText('invalid-share', p.has_processor ? (100 * (p.invalid_share_recent || 0)).toFixed(1) + ' %' : '–');
  setText('valid-invalid', p.has_processor ? `${fmtInt(p.valid_total)} valid / ${fmtInt(p.invalid_total)} invalid (${processed ? (100 * p.invalid_total / processed).toFixed(1) : 0} % overall)` : 'no processor metrics');
  $('invalid-share').parentElement.classList.toggle('bad', firing.has('InvalidShareHigh'));
  setText('e2e', p.has_processor ? `${fmtMs(p.e2e_p50_ms)} / ${fmtMs(p.e2e_p99_ms)}` : '–');
  $('e2e').parentElement.classList.toggle('bad', firing.has('EndToEndLatencyHigh'));
  setText('lag-total', p.lag_source ? fmtInt(p.lag_total) : '–');
  setText('lag-source', p.lag_source ? `messages (${p.lag_source})` : 'no lag metrics');
  $('lag-total').parentElement.classList.toggle('bad', firing.has('ConsumerLagHigh') || firing.has('ConsumerLagGrowing'));
  setText('brokers', p.brokers_known ? `${p.brokers_up} / ${p.brokers_known}` : '–');
  $('brokers').parentElement.classList.toggle('bad', p.brokers_known > 0 && p.brokers_up < p.brokers_known);
  setText('targets', `${targets.filter((t) => t.up).length} of ${targets.length} metrics targets up` +
    (finished.length > 0 ? `, ${finished.length} finished` : ''));
  $('processed-eps').parentElement.classList.toggle('bad', firing.has('ProcessingStalled'));

  throughputChart(p.series || []);
  bars($('reasons'), Object.entries(p.invalid_by_reason || {}).sort((a, b) => b[1] - a[1]).slice(0, 9), 'no invalid events');
  bars($('lag'), Object.entries(p.lag || {}).sort((a, b) => Number(a[0]) - Number(b[0])).map(([part, v]) => ['partition ' + part, v]), 'no lag metrics');

  const windows = k.windows || [];
  const current = windows[windows.length - 1], previous = windows[windows.length - 2];
  setText('window-len', k.window_seconds === 60 ? 'minute' : `${k.window_seconds} s`);
  setText('watermark', k.watermark_ms > 0 ? clock(k.watermark_ms) : '–');
  setText('late', fmtInt(k.late_events || 0));
  setText('kpi-revenue', current ? fmtMoney(current.revenue) : '–');
  setText('kpi-orders', current ? fmtInt(current.orders) : '–');
  setText('kpi-aov', current ? fmtMoney(current.avg_order_value) : '–');
  setText('kpi-revenue-prev', previous ? `previous minute ${fmtMoney(previous.revenue)}` : ' ');
  setText('kpi-orders-prev', previous ? `previous minute ${fmtInt(previous.orders)}` : ' ');
  setText('kpi-aov-prev', previous ? `previous minute ${fmtMoney(previous.avg_order_value)}` : ' ');
  revenueChart(windows);
  $('products').tBodies[0].innerHTML = current ? current.top_products.map((t) =>
    `<tr><td>${escapeHtml(t.item)}</td><td>${fmtInt(t.orders)}</td><td>${fmtMoney(t.revenue)}</td></tr>`).join('') : '';
  mix($('channels'), current && current.channels);
  mix($('payments'), current && current.payments);

  alertList($('alerts-active'), alerts.active, false);
  alertList($('alerts-recent'), alerts.recent, true);
}

function connect() {
  const source = new EventSource('/events');
  source.onmessage = (e) => {
    try { render(JSON.parse(e.data)); } catch (err) { console.error(err); }
  };
  source.onerror = () => {
    const status = $('status');
    status.className = 'status unknown';
    status.textContent = 'reconnecting…';
  };
}
connect();
