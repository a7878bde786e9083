// Mailtrail's timeline components, framework-free, served by mailtrail-web at
// /mailtrail/mailtrail-timeline.js:
//   <mailtrail-timeline email-id="123"></mailtrail-timeline>
//   <mailtrail-recent-activity></mailtrail-recent-activity>
// Attributes: base-path (default /api/v1/emails), page-size, refresh (seconds, 0 = off).
// Themable through CSS custom properties (see STYLE); all text is inserted as text, never as markup.
'use strict';
(() => {
  const ICONS = { system: '\u2699', user: '\u263A', workflow: '\u21BB', rule: '\u2691', integration: '\u21C4' };
  const STYLE = `
    :host { display: block; font: inherit; color: var(--mailtrail-text, #1c2430);
      --_system: var(--mailtrail-system-color, #0b63ce); --_user: var(--mailtrail-user-color, #16803c);
      --_workflow: var(--mailtrail-workflow-color, #0e8fa8); --_rule: var(--mailtrail-rule-color, #b58100);
      --_integration: var(--mailtrail-integration-color, #5f6b76); --_muted: var(--mailtrail-muted-color, #56606b);
      --_border: var(--mailtrail-border-color, #eceff3); --_error: var(--mailtrail-error-color, #b42318);
      --_code-bg: var(--mailtrail-code-background, #1c2430); --_code: var(--mailtrail-code-color, #e9eef5);
      --_accent: var(--mailtrail-accent-color, #0b63ce); }
    [hidden] { display: none !important; }
    ol { list-style: none; margin: 0; padding: 0; }
    .event { display: grid; grid-template-columns: 34px minmax(0, 1fr); gap: .6rem; padding: .55rem 0; border-bottom: 1px solid var(--_border); }
    .icon { width: 30px; height: 30px; border-radius: 50%; display: flex; align-items: center; justify-content: center; color: #fff; }
    .cat-system .icon { background: var(--_system); } .cat-user .icon { background: var(--_user); }
    .cat-workflow .icon { background: var(--_workflow); } .cat-rule .icon { background: var(--_rule); color: #1c2430; }
    .cat-integration .icon { background: var(--_integration); }
    .description { margin: 0; font-weight: 500; overflow-wrap: anywhere; }
    .type-error .description { color: var(--_error); }
    .meta-line { font-size: .8rem; color: var(--_muted); margin: .15rem 0; }
    .type { font-family: ui-monospace, monospace; }
    button, select, input { font: inherit; font-size: .85rem; }
    button { background: none; border: 1px solid var(--_border); border-radius: 4px; padding: .1rem .5rem; cursor: pointer; color: var(--_accent); }
    :focus-visible { outline: 3px solid var(--mailtrail-focus-color, #7aa7e8); outline-offset: 1px; }
    .metadata { font-family: ui-monospace, monospace; font-size: .78rem; background: var(--_code-bg); color: var(--_code);
      padding: .6rem; border-radius: 6px; margin: .4rem 0 0; display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .2rem .8rem; }
    .metadata dt { opacity: .75; } .metadata dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
    .metadata .frames { display: block; padding-left: 1.2em; }
    .metadata .frame { display: block; text-indent: -1.2em; padding-left: 1.2em; word-break: break-all; }
    .toolbar { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin: 0 0 .6rem; font-size: .85rem; }
    .toolbar label { display: flex; flex-direction: column; gap: .15rem; color: var(--_muted); }
    .more { margin: .6rem 0; } .downloads { margin-top: .6rem; }
    .error { color: var(--_error); } .empty, .note { color: var(--_muted); }
    a { color: var(--_accent); }
    table { width: 100%; border-collapse: collapse; font-size: .85rem; margin-top: 1rem; }
    th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--_border); } .num { text-align: right; }`;

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  // The trace an event ran in: its first 8 hex digits (enough to tell traces apart on one page), a
  // link when the server was given a tracing backend (mailtrail.web.trace-url); the full id in the title.
  function traceOf(e) {
    if (!e.trace_id) return null;
    const attrs = { class: 'trace', part: 'trace', title: `trace ${e.trace_id}`, text: e.trace_id.slice(0, 8) };
    return [' \u00B7 ', /^https?:\/\//.test(e.trace_url || '')
      ? el('a', { ...attrs, href: e.trace_url, target: '_blank', rel: 'noopener noreferrer' }) : el('span', attrs)];
  }

  // Metadata as one key/value list: a string as its text (a stack trace as its lines, each frame
  // kept whole when it wraps), any other value as JSON. Not JSON with exceptions: the exports are
  // the machine-readable form.
  function metadataView(metadata, id) {
    const list = el('dl', { class: 'metadata', id, part: 'metadata' });
    const entries = metadata && typeof metadata === 'object' && !Array.isArray(metadata)
      ? Object.entries(metadata) : [['value', metadata]];
    for (const [key, value] of entries) list.append(el('dt', { text: key }), el('dd', { 'data-key': key }, valueView(value)));
    return list;
  }

  function valueView(value) {
    if (typeof value !== 'string') return JSON.stringify(value, null, 2);
    if (!value.includes('\n')) return value;
    const [first, ...rest] = value.split('\n');
    return [first, el('span', { class: 'frames' }, rest.map((line) => el('span', { class: 'frame', text: line.replace(/^\s+/, '') })))];
  }

  // What a failed request tells the reader: the API's own reason when it gave one, else a sentence.
  function failureMessage(status, body, basePath) {
    if (body && typeof body.reason === 'string') return body.reason;
    if (status === 404) return `The activity log is not available here: nothing answers at ${basePath}. Is mailtrail-web on, and is base-path right?`;
    if (status === 401) return 'Sign in to see the activity log.';
    if (status === 403) return 'You may not read the activity log.';
    return `The activity log could not be loaded (HTTP ${status}). Try again later.`;
  }

  function when(iso) { return iso ? iso.replace('T', ' ').slice(0, 19) : ''; }

  async function getJson(url, basePath, signal) {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', signal });
    const body = (response.headers.get('content-type') || '').includes('json') ? await response.json().catch(() => null) : null;
    if (!response.ok) throw Object.assign(new Error(failureMessage(response.status, body, basePath)), { status: response.status });
    return { body, next: response.headers.get('X-Next-Cursor') };
  }

  /** An answer for a view the element has left (see EventList.startView). */
  class StaleAnswer extends Error {}
  function isStale(e) { return e instanceof StaleAnswer || e.name === 'AbortError'; }

  /** Shared by both elements: a newest-first list with expandable metadata, older pages and live refresh. */
  class EventList extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({ mode: 'open' });
      this.events = [];
      this.next = null;
      this.expanded = new Set();
      this.timer = null;
      this.failure = null;
      this.view = new AbortController();
    }
    get basePath() { return (this.getAttribute('base-path') || '/api/v1/emails').replace(/\/$/, ''); }
    get pageSize() { return Math.max(1, Math.min(500, Number(this.getAttribute('page-size')) || 50)); }
    get refreshSeconds() { const r = this.getAttribute('refresh'); return r === null ? 5 : Math.max(0, Number(r) || 0); }
    connectedCallback() { this.started = true; this.render(); this.reload(); this.schedule(); }
    disconnectedCallback() { this.started = false; clearInterval(this.timer); }
    attributeChangedCallback() { if (this.started) { this.render(); this.reload(); this.schedule(); } }
    schedule() {
      clearInterval(this.timer);
      if (this.refreshSeconds > 0) this.timer = setInterval(() => { if (!document.hidden) this.refresh(); }, this.refreshSeconds * 1000);
    }
    render() {
      this.shadowRoot.replaceChildren(el('style', { text: STYLE }), ...this.chrome(),
        this.errorBox = el('p', { class: 'error', role: 'alert', hidden: true }),
        this.list = el('ol', { class: 'timeline', part: 'list', 'aria-label': 'Activity, newest first', 'aria-live': 'polite' }),
        this.moreButton = el('button', { type: 'button', class: 'more', hidden: true, onclick: () => this.loadMore() }, 'Load older events'),
        ...this.footer());
    }
    chrome() { return []; }
    footer() { return []; }
    showError(e) { this.failure = e; this.errorBox.textContent = e ? e.message : ''; this.errorBox.hidden = !e; }

    // A view is what the element shows now: one email, one set of filters. Starting another aborts
    // the old view's requests, and an answer that still arrives for it is dropped, so a slow answer
    // for the previous email can never overwrite the current one.
    startView() {
      this.view.abort();
      this.view = new AbortController();
    }
    async request(url) {
      const view = this.view;
      const answer = await getJson(url, this.basePath, view.signal);
      if (view !== this.view) throw new StaleAnswer();
      return answer;
    }
    // Failures of the current view are shown; those of a view already left are not.
    fail(e) { if (!isStale(e)) this.showError(e); }

    async reload() {
      this.startView();
      const url = this.pageUrl(null);
      if (!url) return;
      try {
        const { body, next } = await this.request(url);
        this.events = body; this.next = next; this.showError(null); this.draw();
      } catch (e) {
        if (isStale(e)) return;
        this.events = []; this.next = null; this.showError(e); this.draw();
      }
    }
    async loadMore() {
      if (!this.next) return;
      try {
        const { body, next } = await this.request(this.pageUrl(this.next));
        const known = new Set(this.events.map((e) => e.id));
        this.events = this.events.concat(body.filter((e) => !known.has(e.id)));
        this.next = next; this.draw();
        this.dispatchEvent(new CustomEvent('mailtrail-page', { detail: { count: this.events.length } }));
      } catch (e) { this.fail(e); }
    }
    // Live refresh: new events (ids not shown yet) go on top; older pages already loaded stay.
    async refresh() {
      const url = this.pageUrl(null);
      if (!url) return;
      try {
        const { body, next } = await this.request(url);
        const known = new Set(this.events.map((e) => e.id));
        const fresh = body.filter((e) => !known.has(e.id));
        if (!this.events.length) this.next = next;
        if (fresh.length || this.failure) { this.events = fresh.concat(this.events); this.showError(null); this.draw(); }
      } catch (e) { this.fail(e); }
    }
    draw() {
      const empty = this.failure ? [] : [el('li', { class: 'empty', text: 'No events.' })];
      this.list.replaceChildren(...(this.events.length ? this.events.map((e) => this.item(e)) : empty));
      this.moreButton.hidden = !this.next;
      this.drawn();
    }
    /** After each draw: subclasses show what depends on the events (the timeline's downloads). */
    drawn() {}
    item(e) {
      const jsonId = `mt-meta-${e.id}`;
      const open = this.expanded.has(e.id);
      const json = metadataView(e.metadata, jsonId);
      json.hidden = !open;
      const toggle = el('button', {
        type: 'button', class: 'meta-toggle', 'aria-expanded': String(open), 'aria-controls': jsonId,
        onclick: () => {
          const show = toggle.getAttribute('aria-expanded') !== 'true';
          toggle.setAttribute('aria-expanded', String(show)); json.hidden = !show;
          if (show) this.expanded.add(e.id); else this.expanded.delete(e.id);
        },
      }, 'Metadata');
      const who = e.user_name || e.created_by || 'system';
      const category = ICONS[e.event_category] ? e.event_category : 'other';
      return el('li', { class: `event cat-${category} type-${e.event_type}`, part: 'event', 'data-event-type': e.event_type, 'data-id': e.id },
        el('span', { class: 'icon', role: 'img', 'aria-label': `${e.event_category} event`, title: e.event_category, text: ICONS[e.event_category] || '\u2022' }),
        el('div', {},
          el('p', { class: 'description', text: e.description }),
          el('p', { class: 'meta-line' }, el('span', { class: 'type', text: e.event_type }), ' \u00B7 ',
            el('time', { datetime: e.created_at, text: when(e.created_at) }), ' \u00B7 ', el('span', { class: 'who', text: who }),
            traceOf(e), this.emailLink(e)),
          e.metadata ? toggle : null, e.metadata ? json : null));
    }
    emailLink() { return null; }
  }

  /** One email's timeline: <mailtrail-timeline email-id="123">. */
  class MailtrailTimeline extends EventList {
    static get observedAttributes() { return ['email-id', 'base-path', 'page-size']; }
    get pageSize() { return Math.max(1, Math.min(500, Number(this.getAttribute('page-size')) || 100)); }
    pageUrl(cursor) {
      const id = this.getAttribute('email-id');
      if (!/^[0-9]+$/.test(id || '')) return null;
      const q = new URLSearchParams({ limit: this.pageSize });
      if (cursor) q.set('cursor', cursor);
      return `${this.basePath}/${id}/activity?${q}`;
    }
    render() { this.events = []; this.next = null; this.downloads = null; this.failure = null; this.expanded.clear(); super.render(); }
    // Downloads are offered only once events are shown: a denied, empty or failed timeline has none.
    footer() {
      const id = this.getAttribute('email-id');
      if (!/^[0-9]+$/.test(id || '')) return [];
      this.downloads = el('p', { class: 'toolbar downloads', hidden: true },
        el('a', { class: 'export-csv', href: `${this.basePath}/${id}/activity/export?format=csv`, download: `email-${id}-activity.csv` }, 'Download CSV'),
        el('a', { class: 'export-jsonl', href: `${this.basePath}/${id}/activity/export?format=jsonl`, download: `email-${id}-activity.jsonl` }, 'JSON Lines'));
      return [this.downloads];
    }
    drawn() { if (this.downloads) this.downloads.hidden = !this.events.length; }
  }

  /** Recent activity across all emails with filters, and the statistics: <mailtrail-recent-activity>. */
  class MailtrailRecentActivity extends EventList {
    static get observedAttributes() { return ['base-path', 'page-size']; }
    filters() {
      if (!this.form) return new URLSearchParams();
      return new URLSearchParams([...new FormData(this.form)].filter(([, v]) => v));
    }
    pageUrl(cursor) {
      const q = this.filters();
      q.set('limit', this.pageSize);
      for (const key of ['since', 'until']) if (q.has(key) && q.get(key).length === 16) q.set(key, q.get(key) + ':00');
      if (cursor) q.set('cursor', cursor);
      return `${this.basePath}/activity/recent?${q}`;
    }
    chrome() {
      const select = (name, label, options) => el('label', {}, label,
        el('select', { name, 'data-filter': name }, el('option', { value: '', text: 'All' }), options.map((o) => el('option', { value: o, text: o }))));
      this.typeSelect = select('event_type', 'Event type', []);
      this.form = el('form', { class: 'toolbar', part: 'filters', onchange: () => { this.events = []; this.next = null; this.reload(); this.updateExport(); },
        onsubmit: (ev) => ev.preventDefault() },
      this.typeSelect, select('category', 'Category', Object.keys(ICONS)),
      el('label', {}, 'User', el('input', { name: 'user', size: 10, autocomplete: 'off' })),
      el('label', {}, 'Since', el('input', { name: 'since', type: 'datetime-local' })),
      el('label', {}, 'Until', el('input', { name: 'until', type: 'datetime-local' })),
      this.exportLink = el('a', { class: 'export-csv', download: 'recent-activity.csv' }, 'Download CSV'));
      this.updateExport();
      return [this.form];
    }
    updateExport() {
      const q = this.filters();
      q.set('format', 'csv');
      this.exportLink.href = `${this.basePath}/activity/recent/export?${q}`;
    }
    footer() {
      this.statsBody = el('tbody', { class: 'stats-body' });
      this.statsNote = el('p', { class: 'note stats-note', hidden: true });
      return [this.statsNote, this.statsTable = el('table', { class: 'stats', part: 'stats' }, el('caption', { text: 'Statistics' }),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Event type' }), el('th', { scope: 'col', text: 'Category' }),
          el('th', { scope: 'col', class: 'num', text: 'Count' }), el('th', { scope: 'col', text: 'Last occurrence' }))),
        this.statsBody)];
    }
    async reload() { await Promise.all([super.reload(), this.loadStats()]); }
    async refresh() { await Promise.all([super.refresh(), this.loadStats()]); }
    async loadStats() {
      try {
        const { body } = await this.request(`${this.basePath}/activity/stats`);
        this.statsTable.hidden = false; this.statsNote.hidden = true;
        this.statsBody.replaceChildren(...body.map((s) => el('tr', {}, el('td', { class: 'type', text: s.event_type }),
          el('td', { text: s.event_category }), el('td', { class: 'num', text: s.count }), el('td', { text: when(s.last_occurrence) }))));
        const select = this.typeSelect.querySelector('select');
        const known = new Set([...select.options].map((o) => o.value));
        for (const type of body.map((s) => s.event_type).sort()) {
          if (!known.has(type)) { select.append(el('option', { value: type, text: type })); known.add(type); }
        }
      } catch (e) {
        // Refused to a reader the access policy limits (403): said where the table would be.
        if (e.status !== 403) { this.fail(e); return; }
        this.statsTable.hidden = true; this.statsNote.hidden = false;
        this.statsNote.textContent = `Statistics are not shown: ${e.message}.`;
      }
    }
    emailLink(e) {
      return [' \u00B7 ', el('a', { href: `#email-${e.email_id}`, class: 'email-link', 'data-email-id': e.email_id,
        onclick: (ev) => { ev.preventDefault(); this.dispatchEvent(new CustomEvent('mailtrail-open-email', { bubbles: true, composed: true, detail: { emailId: e.email_id } })); },
      }, `email ${e.email_id}`)];
    }
  }

  if (!customElements.get('mailtrail-timeline')) customElements.define('mailtrail-timeline', MailtrailTimeline);
  if (!customElements.get('mailtrail-recent-activity')) customElements.define('mailtrail-recent-activity', MailtrailRecentActivity);
})();
