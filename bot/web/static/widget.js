/* Hip & Back Clinic chat widget — vanilla ES2017, no dependencies, no build step.
 * Embed: <script src="https://YOUR-ASSISTANT-HOST/widget.js" defer></script>
 * Optional: data-api-base="https://other-host" on the script tag overrides the API origin.
 * Security rule: message text is only ever placed into the page via textContent/text nodes. */
(function () {
  'use strict';
  if (window.ClinicChat) return; // a second embed on the same page must not create a second widget

  // Resolve our own URL so an embed on another site loads its CSS and talks back to the assistant host.
  const script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  const scriptUrl = new URL((script && script.src) || 'widget.js', location.href);
  const apiBase = ((script && script.getAttribute('data-api-base')) || scriptUrl.origin).replace(/\/+$/, '');
  const cssHref = new URL('widget.css', scriptUrl).href;

  const KEYS = {
    session: 'clinicChat.sessionId', transcript: 'clinicChat.transcript', open: 'clinicChat.open',
    lastActive: 'clinicChat.lastActive',
  };
  // A conversation is kept in this browser for this long after its last message, so the
  // next person at a shared computer does not find it (the page may set data-keep-minutes).
  const KEEP_MINUTES = (() => {
    const set = Number(script && script.getAttribute('data-keep-minutes'));
    return Number.isFinite(set) && set > 0 ? set : 30; // a typo keeps the default, not 'forget at once'
  })();
  const MAX_ENTRIES = 100;
  const TIMEOUT_MS = 20000;
  // The widget's words live with all the assistant's wording in domain.yml (responses
  // utter_widget_*); the front door fills them in here when it serves this file.
  const WORDING = /*WIDGET_WORDING*/null;
  const LABELS = WORDING.labels;
  const UNREACHABLE = WORDING.unreachable;
  const NO_REPLY = WORDING.noReply;
  // Only a greeting: all medical and safety wording comes from the assistant itself.
  const WELCOME = { from: 'bot', text: WORDING.welcome.text, buttons: WORDING.welcome.buttons };

  // localStorage can throw (private mode, blocked storage): fall back to an in-memory session.
  const store = {
    get(k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
    set(k, v) { try { localStorage.setItem(k, v); } catch (e) { /* memory only */ } },
  };

  function forgetIfExpired() {
    const last = Number(store.get(KEYS.lastActive) || 0);
    if (Date.now() - last <= KEEP_MINUTES * 60000) return;
    [KEYS.session, KEYS.transcript, KEYS.open].forEach((k) => store.set(k, ''));
  }
  forgetIfExpired();

  function loadTranscript() {
    try {
      const t = JSON.parse(store.get(KEYS.transcript) || '[]');
      // Stored data is untrusted too: keep only well-formed entries.
      return Array.isArray(t) ? t.filter((e) => e && (e.from === 'user' || e.from === 'bot')).slice(-MAX_ENTRIES) : [];
    } catch (e) { return []; }
  }

  // The session id is issued (and signed) by the assistant with its first reply; until then
  // there is none. It is the visitor's key to their conversation.
  let sessionId = store.get(KEYS.session) || null;
  function keepSession(id) {
    sessionId = id || null;
    store.set(KEYS.session, sessionId || '');
  }
  let transcript = loadTranscript();
  let busy = false;
  let epoch = 0;          // bumped by "Start over" so a late reply can't land in the new conversation
  let inflight = null;    // AbortController of the pending request
  let focusReply = false; // a quick reply was pressed: keyboard focus goes to the reply it gets
  let root, launcher, panel, log, input, sendBtn, typing;

  const saveTranscript = () => {
    store.set(KEYS.transcript, JSON.stringify(transcript));
    store.set(KEYS.lastActive, String(Date.now()));
  };

  function el(tag, cls, text) {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    return n;
  }

  function safeHttpUrl(s) {
    try {
      const u = new URL(String(s));
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
    } catch (e) { return null; }
  }

  function linkNode(label, href, cls) {
    const safe = safeHttpUrl(href);
    if (!safe) return null;
    const a = el('a', cls, label);
    a.href = safe;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }

  // Tiny inline formatter: [label](url), bare http(s) URLs, **bold**, *italic*. Everything else stays text.
  const INLINE = '\\[([^\\]\\n]+)\\]\\((https?:\\/\\/[^\\s)]+)\\)|(https?:\\/\\/[^\\s<>"\']+)' +
    '|\\*\\*(?=\\S)([^\\n]*?\\S)\\*\\*(?!\\*)|\\*(?=\\S)([^*\\n]*?\\S)\\*';

  function appendInline(parent, text) {
    const re = new RegExp(INLINE, 'g'); // fresh regex per call: we recurse for nested bold/italic
    let last = 0;
    let m;
    while ((m = re.exec(text))) {
      let end = re.lastIndex;
      let node;
      if (m[2]) {
        node = linkNode(m[1], m[2], 'cc-link');
      } else if (m[3]) {
        const url = m[3].replace(/[.,;:!?)\]'"]+$/, ''); // trailing punctuation belongs to the sentence
        end = m.index + url.length;
        node = linkNode(url, url, 'cc-link');
      } else {
        node = el(m[4] ? 'strong' : 'em');
        appendInline(node, m[4] || m[5]);
      }
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      parent.appendChild(node || document.createTextNode(text.slice(m.index, end)));
      last = re.lastIndex = end;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function appendFormatted(parent, text) {
    String(text).replace(/\r\n?/g, '\n').split('\n').forEach((line, i) => {
      if (i) parent.appendChild(el('br'));
      appendInline(parent, line);
    });
  }

  function cleanButtons(list) {
    if (!Array.isArray(list)) return [];
    return list.filter((b) => b && typeof b.title === 'string' && b.title &&
      (typeof b.payload === 'string' || safeHttpUrl(b.url)))
      .map((b) => (typeof b.payload === 'string' ? { title: b.title, payload: b.payload } : { title: b.title, url: b.url }));
  }

  const scrollToEnd = () => { log.scrollTop = log.scrollHeight; };

  function renderChips(entry) {
    const wrap = el('div', 'cc-chips');
    entry.buttons.forEach((b) => {
      if (!b || typeof b.title !== 'string') return; // restored transcripts are untrusted input too
      if (b.url) {
        const a = linkNode(b.title, b.url, 'cc-chip-link');
        if (a) wrap.appendChild(a);
        return;
      }
      const btn = el('button', 'cc-chip' + (b.retry ? ' cc-chip-retry' : ''), b.title);
      btn.type = 'button';
      btn.addEventListener('click', () => {
        if (busy) return;
        // The pressed button is about to be removed: keep keyboard focus in the panel, and
        // put it on the reply when it comes.
        focusReply = true;
        input.focus();
        if (b.retry) { retireChips(); request(b.payload); } // the visitor's message is already shown
        else sendMessage(b.payload, b.title);
      });
      wrap.appendChild(btn);
    });
    return wrap;
  }

  function renderEntry(entry) {
    const bot = entry.from === 'bot';
    if (entry.text) {
      const msg = el('div', 'cc-msg ' + (bot ? 'cc-msg-bot' : 'cc-msg-user') + (entry.notice ? ' cc-msg-notice' : ''));
      if (bot) appendFormatted(msg, entry.text);
      else msg.textContent = String(entry.text); // visitor text is never formatted
      log.appendChild(msg);
    }
    if (bot && typeof entry.feedback === 'string' && entry.feedback) log.appendChild(renderFeedback(entry));
    // Chips belong to the latest reply only; once anything is sent they are retired.
    if (bot && !entry.done && Array.isArray(entry.buttons) && entry.buttons.length) log.appendChild(renderChips(entry));
  }

  // Thumbs up / down under an answer quoted from the articles: the clinic's report counts them.
  function renderFeedback(entry) {
    const wrap = el('div', 'cc-feedback');
    if (entry.rated) {
      wrap.appendChild(el('span', 'cc-feedback-thanks', LABELS.feedback_thanks));
      return wrap;
    }
    [['up', '👍', LABELS.helpful], ['down', '👎', LABELS.not_helpful]].forEach(([rating, icon, label]) => {
      const b = button('cc-thumb', icon, { 'aria-label': label, title: label, 'data-rating': rating });
      b.addEventListener('click', () => rate(entry, rating, wrap));
      wrap.appendChild(b);
    });
    return wrap;
  }

  async function rate(entry, rating, wrap) {
    entry.rated = rating;
    saveTranscript();
    wrap.replaceWith(renderFeedback(entry));
    try {
      await fetch(apiBase + '/api/feedback', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ session_id: sessionId, passage: entry.feedback, rating }),
      });
    } catch (e) { /* a lost rating is not worth troubling the visitor with */ }
  }

  function addEntry(entry) {
    transcript.push(entry);
    if (transcript.length > MAX_ENTRIES) transcript = transcript.slice(-MAX_ENTRIES);
    saveTranscript();
    renderEntry(entry);
    scrollToEnd();
  }

  function retireChips() {
    log.querySelectorAll('.cc-chips').forEach((c) => c.remove());
    transcript.forEach((e) => { if (e.buttons && e.buttons.length) e.done = true; });
    saveTranscript();
  }

  function setBusy(on) {
    busy = on;
    sendBtn.disabled = on;
    log.setAttribute('aria-busy', on ? 'true' : 'false');
    if (on) { log.appendChild(typing); scrollToEnd(); } else typing.remove();
  }

  function sendMessage(payload, shown) {
    if (busy || !String(payload).trim()) return;
    retireChips();
    addEntry({ from: 'user', text: shown });
    request(payload);
  }

  async function request(payload, isRetry) {
    const myEpoch = epoch;
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS); // a hung server counts as unreachable
    inflight = ctrl;
    setBusy(true);
    let res = null;
    let data = null;
    try {
      res = await fetch(apiBase + '/api/chat', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ session_id: sessionId, message: payload }),
        signal: ctrl.signal,
      });
      data = await res.json();
    } catch (e) {
      data = null; // network error, timeout/abort, or a non-JSON body
    } finally {
      clearTimeout(timer);
    }
    if (myEpoch !== epoch) return; // "Start over" happened meanwhile; reset() already cleared busy state
    inflight = null;
    setBusy(false);
    if (data && typeof data.session_id === 'string') keepSession(data.session_id);
    // A session the assistant did not issue (or no longer recognises): start a new one and
    // send the same message again, once, so nothing the visitor wrote is lost.
    if (res && res.status === 403 && data && data.session_refused && !isRetry) {
      keepSession(null);
      return request(payload, true);
    }
    const msgs = data && Array.isArray(data.messages) ? data.messages.filter((m) => m && typeof m === 'object') : null;
    if (res && res.ok && msgs) {
      const firstNew = log.children.length;
      let shown = 0;
      msgs.forEach((m) => {
        const entry = { from: 'bot', text: typeof m.text === 'string' ? m.text : '', buttons: cleanButtons(m.buttons) };
        if (typeof m.feedback === 'string') entry.feedback = m.feedback;
        if (entry.text || entry.buttons.length) { addEntry(entry); shown++; }
      });
      if (!shown) addEntry({ from: 'bot', text: NO_REPLY });
      if (focusReply && log.children[firstNew]) {
        const reply = log.children[firstNew];
        reply.setAttribute('tabindex', '-1');
        reply.focus();
      }
      focusReply = false;
      return;
    }
    // Failure: the visitor's message stays in the transcript and a Retry chip resends the same payload.
    const explain = (msgs || []).map((m) => m.text).filter((t) => typeof t === 'string' && t.trim()).join('\n');
    addEntry({ from: 'bot', notice: true, text: explain || UNREACHABLE, buttons: [{ title: LABELS.retry, payload, retry: true }] });
    // Too long: hand the text back so the visitor can shorten it instead of retyping.
    if (res && (res.status === 413 || res.status === 422) && !input.value) { input.value = payload; autosize(); }
  }

  const isOpen = () => !panel.hidden;

  function open(focus) {
    panel.hidden = false;
    root.classList.add('cc-is-open');
    launcher.setAttribute('aria-expanded', 'true');
    store.set(KEYS.open, '1');
    if (!transcript.length) addEntry(Object.assign({}, WELCOME, { buttons: WELCOME.buttons.slice() }));
    scrollToEnd();
    if (focus !== false) input.focus();
  }

  function close() {
    panel.hidden = true;
    root.classList.remove('cc-is-open');
    launcher.setAttribute('aria-expanded', 'false');
    store.set(KEYS.open, '0');
    launcher.focus();
  }

  function reset() {
    epoch++;
    if (inflight) inflight.abort();
    inflight = null;
    if (busy) setBusy(false);
    transcript = [];
    saveTranscript();
    keepSession(null);
    log.textContent = '';
    if (isOpen()) open(true);
  }

  function submitInput() {
    const text = input.value.trim();
    if (busy || !text) return; // keep what they typed if we can't send yet
    input.value = '';
    autosize();
    sendMessage(text, text);
  }

  function autosize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 120) + 'px';
  }

  function chatIcon() {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    const p = document.createElementNS(ns, 'path');
    p.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H10l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z');
    svg.appendChild(p);
    return svg;
  }

  function setAttrs(node, attrs) {
    Object.keys(attrs).forEach((k) => node.setAttribute(k, attrs[k]));
    return node;
  }

  const button = (cls, text, attrs) => setAttrs(el('button', cls, text), Object.assign({ type: 'button' }, attrs));

  function build() {
    document.head.appendChild(Object.assign(el('link'), { rel: 'stylesheet', href: cssHref }));

    root = el('div', 'cc-root');
    launcher = button('cc-launcher', null, {
      id: 'cc-launcher', 'aria-label': LABELS.launcher, title: LABELS.launcher,
      'aria-controls': 'cc-panel', 'aria-expanded': 'false',
    });
    launcher.appendChild(chatIcon());

    panel = Object.assign(el('section', 'cc-panel'), { id: 'cc-panel', hidden: true });
    setAttrs(panel, { role: 'dialog', 'aria-labelledby': 'cc-title' });

    const header = el('div', 'cc-header');
    const titles = el('div', 'cc-titles');
    const title = Object.assign(el('h2', 'cc-title', LABELS.title), { id: 'cc-title' });
    titles.append(title, el('p', 'cc-subtitle', LABELS.subtitle));
    const restart = button('cc-restart', LABELS.start_over, { id: 'cc-restart' });
    const closeBtn = button('cc-close', null, { id: 'cc-close', 'aria-label': LABELS.close });
    closeBtn.appendChild(el('span', null, '×')).setAttribute('aria-hidden', 'true');
    header.append(titles, restart, closeBtn);

    log = Object.assign(el('div', 'cc-log'), { id: 'cc-log', tabIndex: 0 }); // tabIndex: keyboard users can scroll it
    setAttrs(log, { role: 'log', 'aria-live': 'polite', 'aria-busy': 'false', 'aria-label': LABELS.conversation });

    typing = el('div', 'cc-typing');
    typing.append(el('span', 'cc-dot'), el('span', 'cc-dot'), el('span', 'cc-dot'), el('span', 'cc-sr', LABELS.typing));

    const form = el('form', 'cc-form');
    const label = el('label', 'cc-sr', LABELS.input_label);
    label.htmlFor = 'cc-input';
    input = Object.assign(el('textarea', 'cc-input'), { id: 'cc-input', rows: 1, placeholder: LABELS.input_placeholder });
    sendBtn = button('cc-send', LABELS.send, { id: 'cc-send', type: 'submit' });
    form.append(label, input, sendBtn);

    panel.append(header, log, form);
    root.append(panel, launcher);
    document.body.appendChild(root);

    launcher.addEventListener('click', () => (isOpen() ? close() : open(true)));
    closeBtn.addEventListener('click', close);
    // Asked once: a stray click must not wipe what the visitor was reading.
    restart.addEventListener('click', () => { if (!transcript.length || window.confirm(LABELS.start_over_confirm)) reset(); });
    panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } });
    form.addEventListener('submit', (e) => { e.preventDefault(); submitInput(); });
    input.addEventListener('input', autosize);
    input.addEventListener('keydown', (e) => {
      // Enter sends, Shift+Enter is a new line; never send mid IME composition.
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submitInput(); }
    });

    transcript.forEach(renderEntry);
    if (store.get(KEYS.open) === '1') open(false); // restore without stealing focus from the host page
  }

  // Public API; calls made before the DOM is built are ignored rather than throwing.
  const whenBuilt = (fn) => (...args) => (panel ? fn(...args) : undefined);
  window.ClinicChat = {
    open: whenBuilt(() => open(true)),
    close: whenBuilt(close),
    reset: whenBuilt(reset),
    send: whenBuilt((text) => sendMessage(String(text), String(text))),
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', build);
  else build();
})();
