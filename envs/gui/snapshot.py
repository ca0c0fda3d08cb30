"""The accessibility snapshot: the page as roles and names, each actionable element with a ref like ``[e12]``.

One script, installed in every document of an env's browser context, computes roles and accessible names the
way the accessibility tree does for the semantic HTML our pages use, and answers every action's questions in
one round trip (where is the element, is it visible, enabled and not covered, will clicking it navigate).

Refs are numbered per episode in document order and never reused within it: the first page of an episode holds
``e1..eN``, the next page continues at ``eN+1``. The same actions on the same world give the same refs, and a ref
from an earlier page is recognised as stale instead of silently hitting whatever now has its number.
"""

from __future__ import annotations

SCRIPT = r"""
(() => {
if (window.__cg) return;
const ACTIONABLE = new Set(['link', 'button', 'textbox', 'searchbox', 'checkbox', 'radio', 'combobox', 'switch',
                            'spinbutton', 'tab', 'menuitem', 'option', 'slider']);
const CONTAINERS = new Set(['navigation', 'main', 'banner', 'contentinfo', 'list', 'listitem', 'form', 'group',
                            'region', 'dialog', 'alert', 'status', 'article', 'complementary', 'table', 'row',
                            'cell', 'radiogroup']);
const SKIP = new Set(['SCRIPT', 'STYLE', 'HEAD', 'TITLE', 'TEMPLATE', 'NOSCRIPT', 'LEGEND']);
const BLOCK = new Set(['P', 'DIV', 'DD', 'DT', 'SMALL', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'PRE', 'BR', 'SECTION']);
const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
let counter = 1;

function role(el) {
  const explicit = el.getAttribute('role');
  if (explicit) return explicit;
  switch (el.tagName) {
    case 'A': return el.hasAttribute('href') ? 'link' : null;
    case 'BUTTON': return 'button';
    case 'INPUT': {
      const t = (el.getAttribute('type') || 'text').toLowerCase();
      if (t === 'hidden') return null;
      if (t === 'checkbox' || t === 'radio') return t;
      if (t === 'submit' || t === 'button' || t === 'reset' || t === 'image') return 'button';
      if (t === 'search') return 'searchbox';
      if (t === 'number') return 'spinbutton';
      if (t === 'range') return 'slider';
      return 'textbox';
    }
    case 'TEXTAREA': return 'textbox';
    case 'SELECT': return 'combobox';
    case 'H1': case 'H2': case 'H3': case 'H4': case 'H5': case 'H6': return 'heading';
    case 'NAV': return 'navigation';
    case 'MAIN': return 'main';
    case 'HEADER': return el.closest('main, article, section') ? null : 'banner';
    case 'FOOTER': return 'contentinfo';
    case 'UL': case 'OL': return 'list';
    case 'LI': return 'listitem';
    case 'FORM': return el.hasAttribute('aria-label') ? 'form' : null;
    case 'FIELDSET': return 'group';
    case 'SECTION': return el.hasAttribute('aria-label') ? 'region' : null;
    case 'IMG': return 'img';
    case 'DIALOG': return 'dialog';
  }
  return null;
}

function textOf(el) {
  let s = '';
  for (const n of el.childNodes) {
    if (n.nodeType === 3) s += n.textContent;
    else if (n.nodeType === 1 && n.getAttribute('aria-hidden') !== 'true' && !SKIP.has(n.tagName)) s += ' ' + textOf(n) + ' ';
  }
  return norm(s);
}

function name(el, r) {
  const label = el.getAttribute('aria-label');
  if (label) return norm(label);
  const by = el.getAttribute('aria-labelledby');
  if (by) return norm(by.split(/\s+/).map((id) => { const t = document.getElementById(id); return t ? textOf(t) : ''; }).join(' '));
  if (el.labels && el.labels.length) return textOf(el.labels[0]);
  if (r === 'group') { const lg = el.querySelector(':scope > legend'); return lg ? textOf(lg) : ''; }
  if (r === 'link' || r === 'button' || r === 'heading' || r === 'tab' || r === 'option' || r === 'menuitem') {
    return el.tagName === 'INPUT' ? norm(el.value) : textOf(el);
  }
  if (el.tagName === 'IMG') return norm(el.getAttribute('alt'));
  return norm(el.getAttribute('placeholder') || el.getAttribute('title') || '');
}

function hidden(el) {
  if (SKIP.has(el.tagName) || el.getAttribute('aria-hidden') === 'true') return true;
  if (el.tagName === 'INPUT' && (el.getAttribute('type') || '').toLowerCase() === 'hidden') return true;
  return !el.checkVisibility({ visibilityProperty: true });
}

function disabled(el) {
  return el.disabled === true || el.getAttribute('aria-disabled') === 'true' || !!el.closest('fieldset[disabled]');
}

function ref(el) {
  if (!el.dataset.cgRef) el.dataset.cgRef = 'e' + (counter++);
  return el.dataset.cgRef;
}

function isLabelFor(el) {
  return el.tagName === 'LABEL' && (el.control || el.querySelector('input,textarea,select'));
}

function walk(el, depth, out) {
  const pad = '  '.repeat(depth);
  let buf = [];
  const flush = () => { const t = norm(buf.join(' ')); if (t) out.push(pad + '- text: ' + t); buf = []; };
  let term = null;
  for (const n of el.childNodes) {
    if (n.nodeType === 3) { buf.push(n.textContent); continue; }
    if (n.nodeType !== 1 || hidden(n) || isLabelFor(n)) continue;
    if (n.tagName === 'DT') { flush(); term = textOf(n); continue; }
    if (n.tagName === 'DD') {
      flush();
      if (n.querySelector('a,button,input,textarea,select,ul,ol,dl')) {
        out.push(pad + '- text: ' + term + ':');
        walk(n, depth + 1, out);
      } else {
        out.push(pad + '- text: ' + term + ': ' + textOf(n));
      }
      term = null;
      continue;
    }
    const r = role(n);
    if (r === null) {
      if (BLOCK.has(n.tagName)) { flush(); walk(n, depth, out); }
      else {
        // inline: its text joins the current line unless it holds something with a role
        if (n.querySelector('a,button,input,textarea,select,ul,ol,h1,h2,h3,nav,fieldset,dl')) { flush(); walk(n, depth, out); }
        else buf.push(textOf(n));
      }
      continue;
    }
    flush();
    let line = pad + '- ';
    if (ACTIONABLE.has(r)) line += '[' + ref(n) + '] ';
    line += r;
    const nm = name(n, r);
    if (nm) line += ' ' + JSON.stringify(nm);
    if (r === 'heading') line += ' [level=' + n.tagName.slice(1) + ']';
    if (r === 'checkbox' || r === 'radio') line += n.checked ? ' [checked]' : '';
    if (ACTIONABLE.has(r) && disabled(n)) line += ' [disabled]';
    if (r === 'textbox' || r === 'searchbox' || r === 'spinbutton' || r === 'combobox') {
      if (n.value) line += ': ' + JSON.stringify(n.value).slice(1, -1);
    }
    out.push(line);
    if (CONTAINERS.has(r) || r === 'img') walk(n, depth + 1, out);
  }
  flush();
}

// Links and forms load the next page with fetch and swap the body in (as Turbo Drive does): the same HTTP
// requests to the same server, without a full document navigation (~60 ms in Chromium) per step.
function visit(url, init, push) {
  window.__cgBusy = fetch(url, init).then(async (r) => {
    const html = await r.text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    document.title = doc.title;
    document.documentElement.replaceChild(document.adoptNode(doc.body), document.body);
    if (push) history.pushState({ cg: true }, '', r.url);
    else if (r.url !== location.href) history.replaceState({ cg: true }, '', r.url);
    window.__cgSeen = false;
    scrollTo(0, 0);
  }).catch((e) => { document.body.innerHTML = '<main><p role="alert">Error: the page did not load (' + e + ')</p></main>'; window.__cgSeen = false; });
  return window.__cgBusy;
}
document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a[href]');
  if (!a || ev.defaultPrevented || ev.button !== 0 || a.target) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || a.getAttribute('href').startsWith('#')) return;
  ev.preventDefault();
  visit(url.href, { method: 'GET' }, true);
}, true);
document.addEventListener('submit', (ev) => {
  const f = ev.target;
  ev.preventDefault();
  const data = new URLSearchParams(new FormData(f, ev.submitter));
  if ((f.getAttribute('method') || 'get').toLowerCase() === 'get') {
    const u = new URL(f.action, location.href);
    u.search = data.toString();
    visit(u.href, { method: 'GET' }, true);
  } else {
    visit(f.action, { method: 'POST', body: data, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, true);
  }
}, true);
addEventListener('popstate', () => { visit(location.href, { method: 'GET' }, false); });

async function snapshot(start) {
  while (window.__cgBusy) { const busy = window.__cgBusy; await busy; if (window.__cgBusy === busy) window.__cgBusy = null; }
  const fresh = !window.__cgSeen;
  if (fresh) { window.__cgSeen = true; counter = start; }
  const out = [];
  walk(document.body, 0, out);
  return { text: out.join('\n'), next: counter, fresh: fresh, first: window.__cgFirst = fresh ? start : window.__cgFirst,
           title: document.title };
}

function find(r, nm, within) {
  const want = norm(nm).toLowerCase();
  const scope = norm(within || '').toLowerCase();
  const exact = [], partial = [];
  const SEL = { link: 'a[href]', button: 'button,input[type=submit],input[type=button],input[type=reset]',
    checkbox: 'input[type=checkbox]', radio: 'input[type=radio]', textbox: 'input,textarea', heading: 'h1,h2,h3,h4,h5,h6',
    combobox: 'select', navigation: 'nav', list: 'ul,ol', listitem: 'li', group: 'fieldset', form: 'form' };
  const sel = (SEL[r] ? SEL[r] + ',' : '') + '[role="' + r + '"]';
  for (const el of document.body.querySelectorAll(sel)) {
    if (role(el) !== r || hidden(el)) continue;
    if (scope) {
      let ok = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const ar = role(a);
        if (ar && name(a, ar).toLowerCase().includes(scope)) { ok = true; break; }
      }
      if (!ok) continue;
    }
    const n = name(el, r).toLowerCase();
    if (n === want) exact.push(el); else if (want && n.includes(want)) partial.push(el);
  }
  const hits = exact.length ? exact : partial;
  if (hits.length === 0) return { ok: false, reason: 'no ' + r + ' named "' + nm + '"' + (within ? ' inside "' + within + '"' : '') + ' on this page' };
  if (!exact.length && partial.length > 1) {
    return { ok: false, reason: partial.length + ' ' + r + 's contain "' + nm + '": ' + partial.slice(0, 5).map((e) => JSON.stringify(name(e, r))).join(', ') + '; use a ref or a fuller name' };
  }
  return { ok: true, ref: ref(hits[0]) };
}

function locate(refId) {
  return document.querySelector('[data-cg-ref="' + refId + '"]');
}

function prepare(refId, mode) {
  const el = locate(refId);
  if (!el) return { ok: false, missing: true };
  const r = role(el) || el.tagName.toLowerCase();
  const what = r + ' ' + JSON.stringify(name(el, r));
  if (hidden(el)) return { ok: false, reason: what + ' is not visible' };
  if (disabled(el)) return { ok: false, reason: what + ' is disabled' };
  if (mode === 'type') {
    const editable = el.tagName === 'TEXTAREA' || el.isContentEditable ||
      (el.tagName === 'INPUT' && (r === 'textbox' || r === 'searchbox' || r === 'spinbutton'));
    if (!editable) return { ok: false, reason: what + ' is not a text field' };
    if (el.readOnly) return { ok: false, reason: what + ' is read-only' };
  }
  let box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return { ok: false, reason: what + ' has no size on screen' };
  if (box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth) {
    el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
    box = el.getBoundingClientRect();
  }
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const hit = document.elementFromPoint(x, y);
  if (hit && hit !== el && !el.contains(hit) && !(hit.tagName === 'LABEL' && hit.control === el)) {
    const hr = role(hit) || hit.tagName.toLowerCase();
    return { ok: false, reason: what + ' is covered by ' + hr + ' ' + JSON.stringify(name(hit, hr) || textOf(hit).slice(0, 40)) };
  }
  let nav = false;
  if (mode === 'click') {
    if (el.tagName === 'A' && el.hasAttribute('href') && !el.getAttribute('href').startsWith('#')) nav = true;
    const submit = (el.tagName === 'BUTTON' && (el.getAttribute('type') || 'submit') === 'submit') ||
      (el.tagName === 'INPUT' && ['submit', 'image'].includes((el.getAttribute('type') || '').toLowerCase()));
    if (submit && el.form) nav = true;
  }
  return { ok: true, x: x, y: y, nav: nav, what: what };
}

function type(refId, text, start) {
  const el = locate(refId);
  el.focus();
  if (el.isContentEditable) el.textContent = text; else el.value = text;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  return snapshot(start);
}

function enterNavigates() {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  if (el.tagName === 'A' && el.hasAttribute('href')) return true;
  if (el.tagName === 'BUTTON' && el.form) return true;
  return el.tagName === 'INPUT' && !!el.form && !['checkbox', 'radio', 'button'].includes(el.type);
}

window.__cg = { snapshot, find, prepare, type, enterNavigates, visit };
})();
"""


def stale_reason(ref: str, first: int, next_ref: int) -> str:
    """Why ``ref`` does not resolve on a page whose refs run ``first..next_ref-1``."""
    try:
        number = int(ref[1:]) if ref.startswith("e") else -1
    except ValueError:
        number = -1
    if number < 1:
        return f"error: {ref!r} is not a ref; refs look like e12 (shown as [e12] in the snapshot)"
    if number < first:
        return (f"error: ref {ref} is stale: it belonged to an earlier screen, and the page has changed since. "
                f"Use a ref from the latest snapshot (this page's refs start at e{first}).")
    if number >= next_ref:
        return f"error: ref {ref} does not exist yet; this page's refs run from e{first} to e{next_ref - 1}"
    return f"error: ref {ref} is no longer on the page (the element was removed); use a ref from the latest snapshot"
