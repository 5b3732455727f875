/*! Trygg chatt, the chat itself, Stockholms stad. Plain ES2017, no dependencies, no build step.
 * Runs only inside widget/frame.html, on the web app's own origin under its CSP, so no script of
 * the page that embeds the widget can read what the resident types or is told. widget.js, on
 * that page, holds the launcher and the quick-exit button; the two talk by postMessage (frame
 * section), and never about the conversation. Keyboard, privacy and test hooks: widget/README.md.
 * Sections: labels, transport (POST /api/chat), parsing (Rasa REST messages), UI (DOM only), frame. */
(() => {
'use strict';
if (document.querySelector('.trygg-root')) return;

// ---- labels: the widget's own texts (widget/labels.json, filled in when this file is served).
// A fact's key in braces is its value (FACTS), the same in every language.
const LABELS = {/* labels.json */};
// The facts the labels name, filled in from bot/content/facts.yml by the web app each time it
// serves this file (bot/routes/demo.py): the page then has the numbers even if the server goes down.
const FACTS = {/* facts.yml */};
// Filled in when the script is served (bot/routes/demo.py), from bot/content/vocabulary.yml.
const LANGUAGES = {/* vocabulary.yml */};
const NAMES = Object.fromEntries(Object.entries(LANGUAGES).map(([k, v]) => [k, v.name]));
const RTL = Object.fromEntries(Object.entries(LANGUAGES).map(([k, v]) => [k, v.rtl]));
const DELAYS = [2, 4, 8]; // seconds between the quiet retries after a network failure
const TIMEOUT_MS = 10000;
// URLs (group 1) and Swedish phone numbers (group 2): short numbers (112, 114 14, 116 xxx, 1177), 0…, +46 …
const RICH = /(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]]|\b(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:se|nu|com|org|net|eu)\b(?:\/[^\s<>"]*[^\s<>".,;:!?)\]])?)|((?:\+46[- ]?|\b0)\d{1,3}[- ]?\d{2,3}(?:[- ]?\d{2,3}){1,3}\b|\b(?:112|114 ?14|116 ?\d{3}|1177)\b)/gi;
// A booking's reference code (bot/storage/bookings.py: 4+4 of A–Z and 2–9 without I and O): case-sensitive.
const REF = /\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b/g;

// ---- configuration: what widget.js put in the frame's #fragment (never sent to a server),
// and window.TryggChatConfig for tests
const data = new URLSearchParams(location.hash.slice(1));
const cfg = window.TryggChatConfig || {};
const pageLang = LANGUAGES[data.get('lang')] ? data.get('lang') : 'sv';
const idleMs = 1000 * (num(cfg.idleSeconds) || 60 * (num(data.get('idle')) || 10));
const warnMs = 1000 * (num(cfg.idleWarningSeconds) || 60);
const apiUrl = new URL('/api/chat', location.href).href;
// The pages allowed to embed the chat: the city website (TRYGG_SITE_ORIGIN, filled in when this
// file is served) and the web app itself (the demo page). The same list as the frame page's CSP
// frame-ancestors, so a message from any other window is ignored.
const SITE_ORIGIN = "/* settings.site_origin */";
const hostOrigin = [SITE_ORIGIN, location.origin].indexOf(data.get('host')) >= 0 ? data.get('host') : '';
const embedded = window.parent !== window;

// Everything about the conversation lives here and in the DOM, nowhere else.
const S = { id: uuid(), lang: pageLang, picked: false, busy: false, gen: 0, ctrl: null, failed: null,
  last: Date.now(), warnAt: 0, fresh: false, lastUser: null, anchor: null, open: !embedded, told: null };
const N = {}; // visible notices by kind: idle, offline, error, retry, cleared
const bound = []; // [node, label key, attribute or undefined]

function num(v) { const n = parseFloat(v); return n > 0 && isFinite(n) ? n : 0; }
function uuid() {
  const c = window.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
  const h = Array.from(b, x => (x + 256).toString(16).slice(1)).join('');
  return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
}
// The picked language, and whether the last answer asked for the phone number: the web app then
// keeps even a part of a number from the bot (bot/phone.py).
function metadata() {
  const m = S.picked ? { language: S.lang } : {};
  if (S.asks === 'phone') m.step = 'phone';
  return m;
}
function sleep(s) { return new Promise(r => setTimeout(r, s * 1000)); }

// ---- transport: one POST, the Rasa REST webhook's JSON; never throws
async function post(message) {
  const ctrl = S.ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
  try {
    const res = await fetch(apiUrl, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, signal: ctrl.signal,
      credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer',
      body: JSON.stringify({ sender: S.id, message: message, metadata: metadata() })
    });
    let body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    const ok = (res.status === 200 || res.status === 503) && Array.isArray(body);
    return { status: res.status, list: ok ? body : null };
  } catch (e) {
    return { status: 0, list: null };
  } finally {
    clearTimeout(timer);
  }
}

// ---- parsing: text/buttons messages, each followed by the custom message it belongs to
function parse(list) {
  const items = [];
  let group = [], lang = null;
  list.forEach(m => {
    if (!m || typeof m !== 'object') return;
    const c = m.custom && typeof m.custom === 'object' ? m.custom : null;
    if (typeof m.text === 'string' || Array.isArray(m.buttons)) {
      const it = { text: typeof m.text === 'string' ? m.text : '', buttons: Array.isArray(m.buttons) ? m.buttons : [], c: null };
      group.push(it); items.push(it);
    }
    if (c) {
      group.forEach(it => { it.c = it.c || c; });
      group = [];
      if (LANGUAGES[c.language]) lang = c.language;
    }
  });
  return { items: items, lang: lang };
}

// ---- UI
function el(tag, cls, attrs, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  Object.keys(attrs || {}).forEach(k => e.setAttribute(k, attrs[k]));
  if (text != null) e.textContent = text;
  return e;
}
function bind(node, key, attr) { bound.push([node, key, attr]); return node; }
function t(key) {
  // A language without the widget's own texts yet shows them in Swedish.
  return ((LABELS[S.lang] || {})[key] || LABELS.sv[key]).replace(/\{(\w+)\}/g, (m, name) =>
    name === 's' ? String(Math.round(warnMs / 1000)) : (FACTS[name] || m));
}
// Text -> DOM, never innerHTML: numbers and URLs in <bdi dir="ltr"> so they read right in RTL.
// In bot text (bot = true) phone numbers are tel: links and reference codes are emphasised.
function rich(node, text, bot) {
  node.textContent = '';
  let at = 0, m;
  RICH.lastIndex = 0;
  while ((m = RICH.exec(text))) {
    plain(node, text.slice(at, m.index), bot);
    const bdi = el('bdi', null, { dir: 'ltr' });
    if (m[2] && bot) bdi.append(el('a', null, { href: 'tel:' + m[2].replace(/[^\d+]/g, '') }, m[2]));
    else bdi.textContent = m[0];
    node.append(bdi);
    at = RICH.lastIndex;
  }
  plain(node, text.slice(at), bot);
}
function plain(node, text, bot) {
  let at = 0, m;
  REF.lastIndex = 0;
  while (bot && (m = REF.exec(text))) {
    node.append(text.slice(at, m.index));
    const bdi = el('bdi', null, { dir: 'ltr' });
    bdi.append(el('strong', 'trygg-ref', { 'data-testid': 'reference-code' }, m[0]));
    node.append(bdi);
    at = REF.lastIndex;
  }
  node.append(text.slice(at));
}

const root = el('div', 'trygg-root', { hidden: '' });
const panel = bind(el('div', 'trygg-panel', { id: 'trygg-panel', role: 'dialog', 'data-testid': 'panel' }), 'title', 'aria-label');
const head = el('div', 'trygg-head');
const select = el('select', 'trygg-select', { id: 'trygg-lang', 'data-testid': 'language-select' });
Object.keys(NAMES).forEach(k => select.append(el('option', null, { value: k, lang: k, dir: RTL[k] ? 'rtl' : 'ltr' }, NAMES[k])));
const langRow = el('div', 'trygg-langrow');
langRow.append(bind(el('label', null, { for: 'trygg-lang' }), 'lang'), select);
head.append(bind(el('h2', 'trygg-title'), 'title'), bind(el('p', 'trygg-privacy'), 'privacy'), langRow);
const log = bind(el('div', 'trygg-log', { role: 'log', 'aria-live': 'polite', tabindex: '0', 'data-testid': 'messages' }), 'log', 'aria-label');
const typing = bind(el('p', 'trygg-typing', { role: 'status', 'data-testid': 'typing', hidden: '' }), 'typing');
const notices = el('div', 'trygg-notices');
const form = el('form', 'trygg-form', { novalidate: '' });
const input = bind(el('input', 'trygg-input', { id: 'trygg-input', type: 'text', autocomplete: 'off', autocorrect: 'off',
  spellcheck: 'false', maxlength: '2000', enterkeyhint: 'send', 'data-testid': 'input' }), 'placeholder', 'placeholder');
const sendBtn = bind(el('button', 'trygg-send', { type: 'submit', 'data-testid': 'send' }), 'send');
form.append(bind(el('label', 'trygg-sr', { for: 'trygg-input' }), 'placeholder'), input, sendBtn);
const close = bind(el('button', 'trygg-close', { type: 'button', 'data-testid': 'close' }), 'close');
panel.append(head, log, typing, notices, form, close);
root.append(panel);

function apply() {
  bound.forEach(b => {
    if (b[2]) b[0].setAttribute(b[2], t(b[1]));
    else if (b[1] === 'offline') rich(b[0], t(b[1]), true);
    else b[0].textContent = t(b[1]);
  });
  root.lang = panel.lang = document.documentElement.lang = S.lang;
  root.dir = panel.dir = document.documentElement.dir = RTL[S.lang] ? 'rtl' : 'ltr';
  select.value = S.lang;
  if (S.told !== S.lang) { S.told = S.lang; tell({ trygg: 'lang', lang: S.lang }); } // the launcher's labels follow
}
function setLang(l) { if (LANGUAGES[l]) { S.lang = l; apply(); } }
function scroll() { log.scrollTop = log.scrollHeight; }
function drop(n) {
  if (!n) return;
  n.remove();
  for (let i = bound.length; i--;) if (n.contains(bound[i][0])) bound.splice(i, 1);
  Object.keys(N).forEach(k => { if (N[k] === n) delete N[k]; });
}
// A notice below the messages: kind -> class and data-testid "<kind>-notice"; btn = [label key, testid, onclick].
function notice(kind, role, keys, btn) {
  drop(N[kind]);
  const n = N[kind] = el('div', 'trygg-notice trygg-' + kind, { 'data-testid': kind + '-notice' });
  if (role) n.setAttribute('role', role);
  keys.forEach(k => n.append(bind(el('p'), k)));
  if (btn) {
    const b = bind(el('button', 'trygg-btn', { type: 'button', 'data-testid': btn[1] }), btn[0]);
    b.addEventListener('click', btn[2]);
    n.append(b);
  }
  notices.append(n);
  apply();
  return n;
}
function bubble(from, text, lang, dir) {
  const b = el('div', 'trygg-msg trygg-' + from, { 'data-testid': 'message', 'data-from': from, lang: lang, dir: dir,
    'data-who': t(from === 'bot' ? 'title' : 'you') });
  rich(b, text, from === 'bot');
  log.append(b);
  scroll();
  return b;
}
function buttons(list, lang) {
  const box = el('div', 'trygg-buttons', { lang: lang, 'data-testid': 'bot-buttons' });
  list.forEach(x => {
    if (!x || typeof x.title !== 'string' || typeof x.payload !== 'string') return;
    const b = el('button', 'trygg-btn', { type: 'button', dir: 'auto', 'data-testid': 'bot-button' }, x.title);
    b.addEventListener('click', () => { if (!box.hasAttribute('data-answered')) send(x.payload, x.title, b); });
    box.append(b);
  });
  if (box.firstChild) log.append(box);
}
// A row of buttons answers once: after a click (or a typed reply) every open row is disabled,
// the chosen button marked, so no answer (feedback, a booking step) can be sent twice.
function settle(chosen) {
  log.querySelectorAll('.trygg-buttons:not([data-answered])').forEach(box => {
    const hadFocus = box.contains(document.activeElement);
    box.setAttribute('data-answered', '');
    box.querySelectorAll('button').forEach(b => {
      b.disabled = true;
      b.setAttribute('aria-disabled', 'true');
      if (b === chosen) { b.classList.add('trygg-chosen'); b.setAttribute('aria-pressed', 'true'); }
    });
    if (hadFocus) log.focus(); // not lost to <body>; the answer arrives here
  });
}
function render(list) {
  const p = parse(list);
  S.asks = p.items.some(it => it.c && it.c.asks === 'phone') ? 'phone' : null;
  if (p.lang && !S.picked && S.lastUser) S.lastUser.lang = p.lang; // detected from what was written
  // The server answers in another language than the one picked only when the resident asked
  // for it ("can you answer in English?"): adopt it, so the next message does not undo it.
  if (p.lang && p.lang !== S.lang) { setLang(p.lang); select.value = p.lang; }
  let anchor = null;
  p.items.forEach(it => {
    const c = it.c || {};
    const lang = LANGUAGES[c.language] ? c.language : S.lang;
    if (it.text) {
      const b = bubble('bot', it.text, lang, c.direction === 'rtl' || c.direction === 'ltr' ? c.direction : 'auto');
      if (c.priority === 'emergency') { b.classList.add('trygg-emergency'); b.setAttribute('role', 'alert'); }
      if (b.querySelector('.trygg-ref')) anchor = b;
    }
    if (it.buttons.length) buttons(it.buttons, lang);
  });
  // A booking confirmation keeps its top (and the reference code the resident needs to cancel)
  // in view, even when a question follows it; otherwise the newest message is shown.
  // Held until the resident sends again, and again when the panel is reopened.
  S.anchor = anchor;
  keepInView();
}
function keepInView() {
  scroll();
  if (S.anchor) log.scrollTop -= log.getBoundingClientRect().top - S.anchor.getBoundingClientRect().top + 8;
}

// ---- conversation
function send(payload, shown, chosen) {
  if (S.busy) return false;
  S.failed = null; S.fresh = false;
  dismissIdle(); drop(N.retry); drop(N.error); drop(N.cleared);
  settle(chosen);
  S.anchor = null;
  S.lastUser = bubble('user', shown, S.lang, 'auto');
  deliver(payload, shown, S.lastUser);
  return true;
}
function submit() {
  const text = input.value.trim();
  if (!text || S.busy) return;
  const f = S.failed;
  input.value = '';
  send(f && f.shown === text ? f.payload : text, text);
}
async function deliver(payload, shown, mine) {
  const gen = S.gen;
  S.busy = true;
  for (let i = 0; ; i++) {
    typing.hidden = false; scroll();
    const r = await post(payload);
    if (gen !== S.gen) return; // cleared meanwhile: drop the answer
    typing.hidden = true;
    if (r.list) { drop(N.offline); render(r.list); break; }
    if (r.status >= 400 && r.status < 500) { notice('error', 'alert', ['error']); break; }
    if (!N.offline) notice('offline', 'alert', ['down', 'offline']);
    if (i >= DELAYS.length) { fail(payload, shown, mine); break; }
    await sleep(DELAYS[i]);
    if (gen !== S.gen) return;
  }
  S.busy = false;
  S.last = Date.now();
}
// Out of retries: the message goes back into the input, with a retry button.
function fail(payload, shown, mine) {
  drop(mine);
  if (!input.value) input.value = shown;
  S.failed = { payload: payload, shown: shown };
  notice('retry', null, [], ['retry', 'retry', () => {
    if (!input.value.trim() && S.failed) input.value = S.failed.shown;
    drop(N.retry);
    submit();
    input.focus();
  }]);
}
// Forget everything: DOM, memory, pending requests; a new conversation id.
function reset(showCleared) {
  S.gen++;
  if (S.ctrl) S.ctrl.abort();
  S.ctrl = null; S.id = uuid(); S.asks = null; S.busy = false; S.failed = null; S.warnAt = 0; S.lastUser = null; S.anchor = null; S.last = Date.now();
  log.textContent = ''; input.value = ''; typing.hidden = true;
  Object.keys(N).forEach(k => drop(N[k]));
  S.fresh = !!showCleared;
  if (showCleared) notice('cleared', 'status', ['cleared']);
}
// Quick exit: forget the conversation here, then widget.js replaces the page (the top window,
// which this frame may not navigate) with the neutral site.
function leave() {
  reset(false);
  if (embedded) tell({ trygg: 'exit' });
  else location.replace('https://www.smhi.se/'); // opened on its own, not embedded
}
function shown(open) {
  S.open = open;
  if (open) { input.focus(); keepInView(); }
}

// ---- idle: warn after idleMs without activity, clear warnMs later
function dismissIdle() { drop(N.idle); S.warnAt = 0; S.last = Date.now(); }
function hasContent() { return !!(log.firstChild || input.value || S.busy || (S.open && !S.fresh)); }
function tick() {
  const now = Date.now();
  if (S.warnAt) {
    if (now - S.warnAt >= warnMs) reset(true);
  } else if (now - S.last >= idleMs) {
    if (!hasContent()) { S.last = now; return; }
    S.warnAt = now;
    notice('idle', 'alert', ['idle'], ['cont', 'idle-continue', () => { dismissIdle(); if (S.open) input.focus(); }]);
  }
}
function activity() { if (!S.warnAt) S.last = Date.now(); }

close.addEventListener('click', () => { S.open = false; tell({ trygg: 'close' }); });
select.addEventListener('change', () => { S.picked = true; setLang(select.value); });
form.addEventListener('submit', e => { e.preventDefault(); submit(); });
// Esc anywhere in the chat leaves at once (widget.js does the same on the page around it).
window.addEventListener('keydown', e => {
  if ((e.key === 'Escape' || e.key === 'Esc') && !e.isComposing) leave();
}, true);
['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'].forEach(n => document.addEventListener(n, activity, { capture: true, passive: true }));
// Leaving or closing the page: nothing may come back from the back/forward cache.
window.addEventListener('pagehide', () => reset(false));
document.addEventListener('visibilitychange', tick);
setInterval(tick, 500);

// ---- frame: the only messages between the chat and the page around it. Each is one of a few
// fixed kinds with at most a language code or a flag: never text, a number or a reference code.
// To the page: exit, close, lang. From it: open, closed, activity, layout. Only the embedding
// window, on an allowed origin, is heard or told.
function tell(message) {
  if (embedded && hostOrigin) window.parent.postMessage(message, hostOrigin);
}
window.addEventListener('message', e => {
  if (e.source !== window.parent || !hostOrigin || e.origin !== hostOrigin) return;
  const m = e.data;
  if (!m || typeof m !== 'object') return;
  if (m.trygg === 'open') shown(true);
  else if (m.trygg === 'closed') shown(false);
  else if (m.trygg === 'activity') activity();
  else if (m.trygg === 'layout') root.classList.toggle('trygg-full', m.full === true);
});

function mount() {
  document.body.append(root);
  root.hidden = false;
  apply();
  tell({ trygg: 'ready' });
}
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();
})();
