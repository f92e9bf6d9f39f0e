// The mail outbox (mails kept when no SMTP server is configured), newest first, filterable by recipient.

import { t } from '../i18n.js';
import { errorMessage, query } from '../api.js';
import { admin } from './session.js';
import { dateTimeOf, field, h, replaceKeepingFocus } from './ui.js';

const state = { mails: [], to: '', error: '', fingerprint: '', loaded: false };
let panel = null;
let list = null;
let setAside = 0;

export const outboxSection = {
  mount(element) {
    panel = element;
    this.render();
  },

  shown() {
    this.refresh();
  },

  render() {
    if (!panel) return;
    const to = h('input', { type: 'email', name: 'to', autocomplete: 'off', value: state.to });
    list = h('div', { id: 'outbox-list' });
    panel.replaceChildren(
      h('h2', { text: t('admin.outbox.heading') }),
      h('p', { class: 'hint', text: t('admin.outbox.hint') }),
      h('form', { class: 'toolbar', novalidate: true, onsubmit: (event) => {
        event.preventDefault();
        state.to = to.value.trim();
        this.refresh();
      } },
      field('outbox-to', t('admin.outbox.to'), to),
      h('div', { class: 'toolbar-buttons' },
        h('button', { type: 'submit', class: 'btn', text: t('admin.outbox.filter') }))),
      h('div', { class: 'alert', role: 'alert', id: 'outbox-error', text: state.error }),
      list);
    state.fingerprint = '';
    draw();
  },

  async refresh() {
    if (!panel) return;
    const asked = state.to;
    let mails = null;
    let error = '';
    try {
      mails = await admin('GET', `/api/v1/admin/outbox${query({ to: asked, limit: 50 })}`);
    } catch (failure) {
      error = errorMessage(failure, t);
    }
    // The list of another recipient (the tab's first load, answered after the filter was set) is not this one.
    if (asked !== state.to) {
      setAside += 1;
      if (list) list.dataset.setAside = String(setAside); // for the page's tests: such answers have come
      return;
    }
    if (mails) {
      state.mails = mails;
      state.loaded = true;
    }
    state.error = error;
    const alert = document.getElementById('outbox-error');
    if (alert) alert.textContent = state.error;
    draw();
  },
};

function draw() {
  if (!list) return;
  const fingerprint = JSON.stringify([state.mails.map((mail) => mail.id), state.loaded]);
  if (fingerprint === state.fingerprint) return;
  state.fingerprint = fingerprint;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // Open mails stay open across a refresh.
  const open = new Set([...list.querySelectorAll('details[open]')].map((details) => details.dataset.mailId));
  replaceKeepingFocus(list, [state.mails.length
    ? h('ul', { class: 'mail-list' }, state.mails.map((mail) => h('li', { class: 'card mail', 'data-mail-id': mail.id },
      h('details', { 'data-mail-id': String(mail.id), open: open.has(String(mail.id)) },
        h('summary', { 'data-key': `mail-${mail.id}` },
          h('strong', { text: mail.subject }),
          h('span', { class: 'mail-meta', text: `${mail.to} · ${dateTimeOf(mail.sentAt, zone)}` })),
        h('pre', { class: 'mail-text', text: mail.text }),
        (mail.attachments || []).length
          ? h('p', { class: 'hint', text: t('admin.outbox.attachments', { names: mail.attachments.map((a) => a.filename).join(', ') }) })
          : null))))
    : h('p', { class: 'empty', text: state.loaded ? t('admin.outbox.empty') : t('common.loading') })]);
}
