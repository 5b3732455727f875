/*! Trygg chatt widget, Stockholms stad: the launcher. Plain ES2017, no dependencies, no build step.
 * Embed: <script src="https://chat.example/widget/widget.js" data-trygg-chat defer></script>
 * On the embedding page it adds only a launcher button, the quick-exit button and an iframe: the
 * chat itself (widget/chat.js) runs in that iframe, on the web app's own origin, so no script of
 * the page (tag manager, analytics, session recording) can read what the resident types or is
 * told. The two talk by postMessage with fixed kinds of message and strict origin checks, never
 * about the conversation. Attributes, keyboard, privacy and test hooks: widget/README.md. */
(() => {
'use strict';
if (document.querySelector('.trygg-root')) return;

// Filled in when the script is served (bot/routes/demo.py): widget/labels.json, and each
// language's name and direction from bot/content/vocabulary.yml.
const LABELS = {/* labels.json */};
const LANGUAGES = {/* vocabulary.yml */};
const FULL_SCREEN = '(max-width:30em),(max-height:30em)'; // as in widget.css: the frame fills the screen

// ---- configuration: script attributes
const script = document.currentScript || document.querySelector('script[data-trygg-chat]');
const data = (script && script.dataset) || {};
const src = (script && script.src) || location.href;
const frameUrl = new URL('frame.html', src);
const frameOrigin = frameUrl.origin;
const exitUrl = safeUrl(data.exitUrl) || 'https://www.smhi.se/';
// The chat's settings go in the #fragment, which the browser never sends to a server.
frameUrl.hash = new URLSearchParams({
  lang: LANGUAGES[data.language] ? data.language : 'sv',
  idle: String(num(data.idleMinutes) || 10),
  host: location.origin
}).toString();

const S = { lang: LANGUAGES[data.language] ? data.language : 'sv', open: false, ready: false, nudged: 0 };
const bound = []; // [node, label key, attribute or undefined]

function num(v) { const n = parseFloat(v); return n > 0 && isFinite(n) ? n : 0; }
function safeUrl(v) {
  if (!v) return '';
  try { const u = new URL(v, location.href); return /^https?:$/.test(u.protocol) ? u.href : ''; } catch (e) { return ''; }
}
function el(tag, cls, attrs, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  Object.keys(attrs || {}).forEach(k => e.setAttribute(k, attrs[k]));
  if (text != null) e.textContent = text;
  return e;
}
function bind(node, key, attr) { bound.push([node, key, attr]); return node; }
function t(key) { return (LABELS[S.lang] || {})[key] || LABELS.sv[key]; }

const root = el('div', 'trygg-root', { hidden: '' });
const launcher = bind(el('button', 'trygg-launcher', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'trygg-frame', 'data-testid': 'launcher' }), 'launcher');
const exit = el('button', 'trygg-exit', { type: 'button', 'aria-keyshortcuts': 'Escape', 'data-testid': 'quick-exit' });
exit.append(bind(el('span'), 'exit'), el('kbd', 'trygg-kbd', { 'aria-hidden': 'true' }, 'Esc'));
// Loaded with the page, hidden: the chat then has its bundled emergency numbers even if the
// server goes down before the resident opens it.
const frame = bind(el('iframe', 'trygg-frame', { id: 'trygg-frame', src: frameUrl.href, referrerpolicy: 'no-referrer',
  'data-testid': 'chat-frame', hidden: '' }), 'title', 'title');
root.append(launcher, exit, frame);

function apply() {
  bound.forEach(b => { if (b[2]) b[0].setAttribute(b[2], t(b[1])); else b[0].textContent = t(b[1]); });
  root.lang = S.lang;
  root.dir = LANGUAGES[S.lang] && LANGUAGES[S.lang].rtl ? 'rtl' : 'ltr';
}
function tell(message) {
  if (S.ready && frame.contentWindow) frame.contentWindow.postMessage(message, frameOrigin);
}
function layout() { tell({ trygg: 'layout', full: matchMedia(FULL_SCREEN).matches }); }
function toggle(open) {
  S.open = open;
  frame.hidden = !open;
  launcher.setAttribute('aria-expanded', String(open));
  root.classList.toggle('trygg-open', open);
  if (open) frame.focus(); else launcher.focus();
  tell({ trygg: open ? 'open' : 'closed' });
}
// Quick exit: the chat goes with its frame, then the page is replaced (Back does not return).
function leave() {
  frame.remove();
  location.replace(exitUrl);
}

window.addEventListener('message', e => {
  if (e.source !== frame.contentWindow || e.origin !== frameOrigin) return;
  const m = e.data;
  if (!m || typeof m !== 'object') return;
  if (m.trygg === 'exit') leave();
  else if (m.trygg === 'close') toggle(false);
  else if (m.trygg === 'lang' && LANGUAGES[m.lang]) { S.lang = m.lang; apply(); }
  else if (m.trygg === 'ready') {
    S.ready = true;
    layout();
    if (S.open) tell({ trygg: 'open' });
  }
});
launcher.addEventListener('click', () => toggle(!S.open));
exit.addEventListener('click', leave);
// Esc anywhere on the page leaves at once (capture phase: page scripts cannot swallow it); inside
// the chat, the frame tells us the same.
window.addEventListener('keydown', e => {
  if ((e.key === 'Escape' || e.key === 'Esc') && !e.isComposing) leave();
}, true);
// Activity on the page keeps the chat from being cleared as idle (at most once a second).
['pointerdown', 'keydown', 'wheel', 'touchstart'].forEach(n => document.addEventListener(n, () => {
  if (Date.now() - S.nudged < 1000) return;
  S.nudged = Date.now();
  tell({ trygg: 'activity' });
}, { capture: true, passive: true }));
matchMedia(FULL_SCREEN).addEventListener('change', layout);

function mount() {
  const show = () => { root.hidden = false; };
  if (!document.querySelector('link[data-trygg-css]')) {
    const link = el('link', null, { rel: 'stylesheet', href: new URL('widget.css', src).href, 'data-trygg-css': '' });
    link.addEventListener('load', show);
    link.addEventListener('error', show);
    document.head.append(link);
    setTimeout(show, 3000);
  } else show();
  document.body.insertBefore(root, document.body.firstChild);
  apply();
}
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();
})();
