'use strict';
// Plain JS for the hub's page: email list, detail with a sidebar timeline ("Log" tab), recent
// activity with filter and statistics. The acting user is sent as X-User and kept in a cookie,
// so that plain download links carry it too.

const EVENT_TYPES = ['fetched', 'classified', 'rule_matched', 'workflow_executed', 'invoice_extracted', 'linked',
  'ticket_created', 'notification_sent', 'status_changed', 'error', 'read', 'attachment_downloaded',
  'attachment_uploaded'];
const ICONS = { system: '\u2699', user: '\u263A', workflow: '\u21BB', rule: '\u2691', integration: '\u21C4' };
const USER_COOKIE = 'mailtrail_user';

const state = { user: null, emailId: null, timer: null, timelineKey: null };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

async function api(path, options = {}) {
  const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
  if (state.user) headers['X-User'] = state.user;
  const response = await fetch('/api/v1' + path, Object.assign({}, options, { headers }));
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : null;
  if (!response.ok) throw new Error(body?.reason || response.statusText);
  return body;
}

function when(iso) {
  return iso ? iso.replace('T', ' ').slice(0, 19) : '';
}

function readCookie(name) {
  const match = document.cookie.split('; ').find((c) => c.startsWith(name + '='));
  return match ? decodeURIComponent(match.split('=')[1]) : null;
}

async function loadUsers() {
  const users = await api('/users');
  const select = $('user-select');
  select.replaceChildren(...users.map((u) => el('option', { value: u.username, text: u.full_name })));
  state.user = users.some((u) => u.username === readCookie(USER_COOKIE)) ? readCookie(USER_COOKIE) : users[0]?.username;
  select.value = state.user;
  setUserCookie();
  select.addEventListener('change', () => { state.user = select.value; setUserCookie(); });
}

function setUserCookie() {
  document.cookie = `${USER_COOKIE}=${encodeURIComponent(state.user)}; path=/; SameSite=Lax`;
}

// ---------------------------------------------------------------- emails

async function loadEmails() {
  const emails = await api('/emails?limit=200');
  $('email-count').textContent = `(${emails.length})`;
  $('email-list').replaceChildren(...emails.map((e) => el('li', {},
    el('button', {
      class: 'email-item', 'data-id': e.id, 'aria-current': e.id === state.emailId ? 'true' : 'false',
      onclick: () => openEmail(e.id),
    },
    el('span', { class: 'subject', text: e.subject || '(no subject)' }),
    el('span', { class: 'from', text: e.sender_name || e.sender_email || 'unknown sender' }),
    el('span', { class: 'when' }, when(e.received_date),
      el('span', { class: `badge status-${e.status}`, text: e.status }),
      e.classification ? el('span', { class: 'badge', text: e.classification }) : null,
      e.attachment_count ? el('span', { class: 'badge', text: `${e.attachment_count} attachment${e.attachment_count > 1 ? 's' : ''}` }) : null)))));
}

async function openEmail(id) {
  state.emailId = id;
  document.querySelectorAll('.email-item').forEach((b) => b.setAttribute('aria-current', String(Number(b.dataset.id) === id)));
  try {
    renderDetail(await api(`/emails/${id}`));
    await loadTimeline();
  } catch (e) {
    $('detail').replaceChildren(el('p', { class: 'error', role: 'alert', text: e.message }));
  }
}

function renderDetail(email) {
  const attachments = email.attachments.map((a) => el('li', {},
    el('a', {
      class: 'attachment-link', href: `/api/v1/emails/${email.id}/attachments/${a.id}`, download: a.filename,
      onclick: () => { setTimeout(loadTimeline, 600); setTimeout(loadTimeline, 2000); },
    }, a.filename), ` (${(a.size_bytes / 1024).toFixed(1)} KB)`));
  const upload = el('form', { class: 'upload', onsubmit: uploadAttachment },
    el('label', {}, 'Upload attachment ', el('input', { type: 'file', name: 'file', required: true })),
    ' ', el('button', { type: 'submit' }, 'Upload'));
  $('detail').replaceChildren(
    el('h2', { id: 'detail-subject', text: email.subject || '(no subject)' }),
    el('dl', {},
      el('dt', { text: 'From' }), el('dd', { text: [email.sender_name, email.sender_email && `<${email.sender_email}>`].filter(Boolean).join(' ') || 'unknown' }),
      el('dt', { text: 'Received' }), el('dd', { text: when(email.received_date) }),
      el('dt', { text: 'Status' }), el('dd', {}, el('span', { class: `badge status-${email.status}`, text: email.status })),
      el('dt', { text: 'Classification' }), el('dd', { text: email.classification ? `${email.classification} (${Math.round(email.confidence * 100)}%)` : '—' })),
    el('pre', { class: 'body', text: email.body_text ?? '(the body of this message could not be read)' }),
    el('section', { class: 'attachments', 'aria-label': 'Attachments' },
      el('h3', { text: `Attachments (${email.attachments.length})` }),
      attachments.length ? el('ul', {}, attachments) : el('p', { class: 'placeholder', text: 'None.' }),
      upload));
  $('panel-info').replaceChildren(el('dl', {},
    el('dt', { text: 'Email id' }), el('dd', { text: email.id }),
    el('dt', { text: 'Message-ID' }), el('dd', { text: email.message_id || '—' })));
}

async function uploadAttachment(event) {
  event.preventDefault();
  const data = new FormData(event.target);
  try {
    await api(`/emails/${state.emailId}/attachments`, { method: 'POST', body: data });
    await openEmail(state.emailId);
  } catch (e) {
    alert(`Upload failed: ${e.message}`);
  }
}

async function loadTimeline() {
  if (!state.emailId) return;
  const events = await api(`/emails/${state.emailId}/activity`);
  // Re-render only when something changed, so focus and scroll position survive the polling.
  const key = `${state.emailId}:${events.length}:${events[0]?.id}`;
  if (key === state.timelineKey) return;
  state.timelineKey = key;
  const open = new Set([...document.querySelectorAll('#panel-log .meta-toggle[aria-expanded="true"]')].map((b) => b.dataset.id));
  $('panel-log').replaceChildren(el('ol', { class: 'timeline', 'aria-label': 'Activity log, newest first' },
    events.map((e) => eventItem(e, open.has(String(e.id))))));
}

function eventItem(e, expanded) {
  const jsonId = `meta-${e.id}`;
  const json = el('pre', { class: 'meta-json', id: jsonId, hidden: !expanded, text: JSON.stringify(e.metadata, null, 2) });
  const toggle = el('button', {
    type: 'button', class: 'meta-toggle', 'aria-expanded': String(expanded), 'aria-controls': jsonId, 'data-id': e.id,
    onclick: (ev) => {
      const show = ev.currentTarget.getAttribute('aria-expanded') !== 'true';
      ev.currentTarget.setAttribute('aria-expanded', String(show));
      json.hidden = !show;
    },
  }, 'Metadata');
  const who = e.user_name || e.created_by || 'system';
  return el('li', { class: `event cat-${e.event_category} type-${e.event_type}`, 'data-event-type': e.event_type },
    el('span', { class: 'icon', role: 'img', 'aria-label': `${e.event_category} event`, title: e.event_category, text: ICONS[e.event_category] || '•' }),
    el('div', {},
      el('p', { class: 'description', text: e.description }),
      el('p', { class: 'meta-line' }, el('span', { class: 'type', text: e.event_type }), ' · ',
        el('time', { datetime: e.created_at, text: when(e.created_at) }), ' · ', el('span', { class: 'who', text: who }),
        e.email_id && !state.emailId ? null : null),
      e.metadata ? toggle : null, e.metadata ? json : null));
}

// ---------------------------------------------------------------- tabs and views

function selectTab(tab) {
  for (const t of document.querySelectorAll('[role="tab"]')) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    $(t.getAttribute('aria-controls')).hidden = !selected;
  }
}

function showView() {
  const activity = location.hash === '#activity';
  $('emails-view').hidden = activity;
  $('activity-view').hidden = !activity;
  for (const [link, current] of [[$('nav-emails'), !activity], [$('nav-activity'), activity]]) {
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  if (activity) loadActivity();
}

async function loadActivity() {
  const form = new FormData($('recent-filter'));
  const params = new URLSearchParams([...form].filter(([, v]) => v));
  try {
    const [events, stats] = await Promise.all([api(`/emails/activity/recent?${params}`), api('/emails/activity/stats')]);
    $('recent-error').hidden = true;
    $('recent-list').replaceChildren(...events.map((e) => {
      const item = eventItem(e, false);
      item.querySelector('.meta-line').append(' · ', el('a', { href: '#emails', onclick: () => openEmail(e.email_id), text: `email ${e.email_id}` }));
      return item;
    }));
    $('stats-body').replaceChildren(...stats.map((s) => el('tr', {},
      el('td', { class: 'type', text: s.event_type }), el('td', { text: s.event_category }),
      el('td', { class: 'num', text: s.count }), el('td', { text: when(s.last_occurrence) }))));
  } catch (e) {
    $('recent-error').textContent = e.message;
    $('recent-error').hidden = false;
  }
}

async function refresh() {
  try {
    if (location.hash === '#activity') await loadActivity();
    else { await loadEmails(); await loadTimeline(); }
  } catch (e) { /* next round */ }
}

async function start() {
  $('filter-type').append(...EVENT_TYPES.map((t) => el('option', { value: t, text: t })));
  $('recent-filter').addEventListener('change', loadActivity);
  document.querySelectorAll('[role="tab"]').forEach((t) => t.addEventListener('click', () => selectTab(t)));
  window.addEventListener('hashchange', showView);
  await loadUsers();
  await loadEmails();
  showView();
  state.timer = setInterval(refresh, 4000);
}

start();
