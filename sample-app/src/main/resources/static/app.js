'use strict';
// Plain JS for the hub's page: email list and detail. The "Log" tab and the recent-activity view
// are mailtrail-web's components (<mailtrail-timeline>, <mailtrail-recent-activity>). Who acts is
// the signed-in user (the session of the sign-in form); nothing on this page can change it.

const state = { emailId: null, selected: new Set() };
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

function csrfToken() {
  const match = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
  return match ? decodeURIComponent(match.slice('XSRF-TOKEN='.length)) : '';
}

async function api(path, options = {}) {
  const headers = Object.assign({ Accept: 'application/json', 'X-XSRF-TOKEN': csrfToken() }, options.headers || {});
  const response = await fetch('/api/v1' + path, Object.assign({ credentials: 'same-origin' }, options, { headers }));
  if (response.status === 401) { location.href = '/login'; throw new Error('signed out'); }
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : null;
  if (!response.ok) throw new Error(body?.reason || response.statusText);
  return body;
}

function when(iso) {
  return iso ? iso.replace('T', ' ').slice(0, 19) : '';
}

async function loadMe() {
  const me = await api('/me');
  $('signed-in').textContent = me.full_name || me.username;
  $('csrf-field').value = csrfToken();
}

// ---------------------------------------------------------------- emails

async function loadEmails() {
  const emails = await api('/emails?limit=200');
  $('email-count').textContent = `(${emails.length})`;
  const present = new Set(emails.map((e) => e.id));
  for (const id of [...state.selected]) if (!present.has(id)) state.selected.delete(id);
  $('email-list').replaceChildren(...emails.map((e) => el('li', {},
    el('input', {
      type: 'checkbox', class: 'select-email', 'data-id': e.id, checked: state.selected.has(e.id),
      'aria-label': `Select ${e.subject || '(no subject)'}`, onchange: (event) => toggleSelected(e.id, event.target.checked),
    }),
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

function toggleSelected(id, selected) {
  if (selected) state.selected.add(id); else state.selected.delete(id);
  $('archive-selected').disabled = state.selected.size === 0;
}

// One call archives them all; Mailtrail logs one status_changed row per email (forEach).
async function archiveSelected() {
  const ids = [...state.selected];
  try {
    const result = await api(`/emails/archive?ids=${ids.join(',')}`, { method: 'POST' });
    $('batch-status').textContent = `Archived ${result.archived} email${result.archived === 1 ? '' : 's'}.`;
    state.selected.clear();
    $('archive-selected').disabled = true;
    await loadEmails();
    if (state.emailId !== null && ids.includes(state.emailId)) { await openEmail(state.emailId); refreshTimelineSoon(); }
  } catch (e) {
    $('batch-status').textContent = `Archive failed: ${e.message}`;
  }
}

async function openEmail(id) {
  state.emailId = id;
  document.querySelectorAll('.email-item').forEach((b) => b.setAttribute('aria-current', String(Number(b.dataset.id) === id)));
  try {
    renderDetail(await api(`/emails/${id}`));
    $('log-placeholder').hidden = true;
    const timeline = $('timeline');
    timeline.hidden = false;
    timeline.setAttribute('email-id', String(id));
  } catch (e) {
    $('detail').replaceChildren(el('p', { class: 'error', role: 'alert', text: e.message }));
  }
}

function refreshTimelineSoon() {
  setTimeout(() => $('timeline').refresh(), 600);
  setTimeout(() => $('timeline').refresh(), 2000);
}

function renderDetail(email) {
  const attachments = email.attachments.map((a) => el('li', {},
    el('a', {
      class: 'attachment-link', href: `/api/v1/emails/${email.id}/attachments/${a.id}`, download: a.filename,
      onclick: refreshTimelineSoon,
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
    refreshTimelineSoon();
  } catch (e) {
    alert(`Upload failed: ${e.message}`);
  }
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
}

async function start() {
  document.querySelectorAll('[role="tab"]').forEach((t) => t.addEventListener('click', () => selectTab(t)));
  $('archive-selected').addEventListener('click', archiveSelected);
  window.addEventListener('hashchange', showView);
  document.addEventListener('mailtrail-open-email', (e) => { location.hash = '#emails'; openEmail(e.detail.emailId); });
  await loadMe();
  await loadEmails();
  showView();
  setInterval(() => { if (location.hash !== '#activity') loadEmails().catch(() => {}); }, 4000);
}

start();
