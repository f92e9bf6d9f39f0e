// Live holds (every store, every day) with their remaining lease, counting down each second from the expiry the
// admin API returns, each row gone the moment its lease lapses; and the active selections of the day the day view
// shows, counting down the same way (a selection lives seconds unless its viewer renews it). Refreshed every second
// and at once on a slot event of that day.

import { t } from '../i18n.js';
import { errorMessage } from '../api.js';
import { admin, catalogue, features } from './session.js';
import { announce, countdown, dateTimeOf, h, replaceKeepingFocus } from './ui.js';
import { shownDay } from './day.js';

const state = { holds: [], fetchedAt: 0, store: '', selections: [], error: '', fingerprint: '', loaded: false };
let panel = null;
let holdList = null;
let selectionList = null;
let ticker = null;
let inFlight = false;

export const liveSection = {
  mount(element) {
    panel = element;
    this.render();
    this.refresh();
    // four times a second, so a row goes within a quarter second of its lease and the seconds turn on time
    if (!ticker) ticker = setInterval(tick, 250);
  },

  render() {
    if (!panel) return;
    holdList = h('div', { id: 'live-holds' });
    selectionList = h('div', { id: 'live-selections' });
    panel.replaceChildren(
      h('h2', { text: t('admin.live.heading') }),
      h('div', { class: 'alert', role: 'alert', id: 'live-error', text: state.error }),
      h('section', { 'aria-labelledby': 'live-holds-heading' },
        h('h3', { id: 'live-holds-heading', tabindex: '-1', text: t('admin.live.holds') }),
        h('p', { class: 'hint', id: 'live-store' }),
        holdList),
      h('section', { 'aria-labelledby': 'live-selections-heading' },
        h('h3', { id: 'live-selections-heading', text: t('admin.live.selections') }),
        h('p', { class: 'hint', text: t('admin.live.selectionsHint') }),
        selectionList),
      // replaceChildren would write a null as the text "null"
      ...(features.releaseHold ? [] : [h('p', { class: 'hint', text: t('admin.live.noRelease') })]));
    state.fingerprint = '';
    draw();
  },

  async refresh() {
    if (!panel || inFlight) return;
    inFlight = true;
    try {
      const [listing] = await Promise.all([admin('GET', '/api/v1/admin/holds?limit=500'), refreshSelections()]);
      const fetchedAt = Date.now();
      state.holds = listing.holds.map((hold) => ({ ...hold, deadline: deadline(hold, fetchedAt) }))
        .filter((hold) => hold.deadline > Date.now());
      state.store = listing.store;
      state.fetchedAt = fetchedAt;
      state.loaded = true;
      setError('');
    } catch (error) {
      setError(errorMessage(error, t));
    } finally {
      inFlight = false;
    }
    draw();
  },

  stop() {
    clearInterval(ticker);
    ticker = null;
  },
};

/** The selections of the day the day view shows, each with the moment it lapses unless renewed. */
async function refreshSelections() {
  const { date } = shownDay();
  if (!date) {
    state.selections = [];
    return;
  }
  const listing = await admin('GET', `/api/v1/admin/selections?date=${date}`);
  const fetchedAt = Date.now();
  state.selections = listing.selections.map((selection) => ({ ...selection, date, time: selection.start.slice(11, 16),
    key: `${selection.staffId}|${selection.start}|${selection.client}`, deadline: deadline(selection, fetchedAt) }))
    .filter((selection) => selection.deadline > Date.now());
}

function setError(text) {
  state.error = text;
  const alert = document.getElementById('live-error');
  if (alert && alert.textContent !== text) alert.textContent = text;
}

/**
 * When a hold lapses, on this browser's clock. The listing's `expiresAt` is exact on the server's clock; when this
 * browser's clock disagrees with it by more than the listing's own rounding (`ttlSeconds` is whole seconds, rounded
 * up) plus a request's time, the remaining seconds counted from the answer's arrival are the better guess.
 */
function deadline(hold, fetchedAt) {
  const expires = Date.parse(hold.expiresAt);
  const byTtl = fetchedAt + hold.ttlSeconds * 1000;
  return Number.isFinite(expires) && Math.abs(expires - byTtl) < 2000 ? expires : byTtl;
}

function secondsLeft(leased) {
  return (leased.deadline - Date.now()) / 1000;
}

function draw() {
  if (!holdList) return;
  const selections = state.selections;
  const fingerprint = JSON.stringify([state.holds.map((hold) => [hold.holdId, hold.start, hold.staffId]),
    selections.map((selection) => selection.key), state.loaded]);
  const store = document.getElementById('live-store');
  if (store) store.textContent = state.store ? t('admin.live.store', { store: t(`admin.status.mode.${state.store}`) }) : '';
  if (fingerprint === state.fingerprint) {
    tick();
    return;
  }
  const before = state.fingerprint ? JSON.parse(state.fingerprint)[0].length : null;
  state.fingerprint = fingerprint;
  if (before !== null && before !== state.holds.length) announce(t('admin.live.count', { count: state.holds.length }));
  replaceKeepingFocus(holdList, [state.holds.length
    ? h('ul', { class: 'hold-list' }, state.holds.map(holdRow))
    : h('p', { class: 'empty', text: state.loaded ? t('admin.live.noHolds') : t('common.loading') })]);
  replaceKeepingFocus(selectionList, [selections.length
    ? h('ul', { class: 'hold-list' }, selections.map(selectionRow))
    : h('p', { class: 'empty', text: t('admin.live.noSelections') })]);
  tick();
}

function selectionRow(selection, index) {
  const member = catalogue.member(selection.staffId);
  const label = `left-selection-${index}`;
  return h('li', { class: 'hold selection', 'data-staff-id': selection.staffId, 'data-time': selection.time,
    'data-selection': selection.key },
    h('div', { class: 'hold-what' },
      h('strong', { text: member ? member.name : `#${selection.staffId}` }),
      h('span', { class: 'hold-when', text: dateTimeOf(selection.start, catalogue.zoneOf(selection.staffId)) }),
      h('span', { class: 'hint', text: t('admin.live.client', { client: selection.client || '–' }) })),
    h('div', { class: 'hold-left' },
      h('span', { class: 'hint', id: label, text: t('admin.live.left') }),
      h('span', { class: 'countdown', role: 'timer', 'aria-live': 'off', 'aria-labelledby': label,
        'data-countdown': selection.key })));
}

function holdRow(hold) {
  const member = catalogue.member(hold.staffId);
  const service = catalogue.service(hold.serviceId);
  const zone = catalogue.zoneOf(hold.staffId);
  const row = h('li', { class: 'hold', 'data-hold-id': hold.holdId, 'data-start': hold.start },
    h('div', { class: 'hold-what' },
      h('strong', { text: member ? member.name : `#${hold.staffId}` }),
      h('span', { text: ` · ${service ? service.name : `#${hold.serviceId}`}` }),
      h('span', { class: 'hold-when', text: dateTimeOf(hold.start, zone) }),
      h('span', { class: 'hint', text: t('admin.live.client', { client: hold.client || '–' }) })),
    h('div', { class: 'hold-left' },
      h('span', { class: 'hint', id: `left-${hold.holdId}`, text: t('admin.live.left') }),
      // a timer that is not announced every second (aria-live off): read when the admin moves to it
      h('span', { class: 'countdown', role: 'timer', 'aria-live': 'off', 'aria-labelledby': `left-${hold.holdId}`,
        'data-countdown': hold.holdId })));
  if (features.releaseHold) {
    row.append(h('button', { type: 'button', class: 'btn btn-danger', 'data-key': `release-${hold.holdId}`,
      text: t('admin.live.release'),
      'aria-label': t('admin.live.releaseLabel', { what: `${member ? member.name : ''} ${dateTimeOf(hold.start, zone)}` }),
      onclick: async (event) => {
        event.currentTarget.disabled = true;
        let released = false;
        try {
          await admin('DELETE', `/api/v1/admin/holds/${hold.holdId}`);
          released = true;
        } catch (error) {
          if (error.status !== 404) setError(errorMessage(error, t));
        }
        await liveSection.refresh();
        // after the refresh, whose changed count would otherwise replace it in the live region
        if (released) announce(t('admin.live.released'));
        const heading = document.getElementById('live-holds-heading');
        if (heading) heading.focus();
      } }));
  }
  return row;
}

/**
 * Counts the leases down between fetches (text only, so nothing moves under the keyboard) and drops a hold the
 * moment its lease lapses, without waiting for the next listing or the server's `expired` event.
 */
function tick() {
  if (!holdList) return;
  const live = state.holds.filter((hold) => secondsLeft(hold) > 0);
  const looking = state.selections.filter((selection) => secondsLeft(selection) > 0);
  if (live.length !== state.holds.length || looking.length !== state.selections.length) {
    state.holds = live;
    state.selections = looking;
    draw();
    return;
  }
  for (const hold of state.holds) show(holdList.querySelector(`[data-hold-id="${hold.holdId}"]`), hold);
  for (const selection of state.selections) {
    show([...selectionList.querySelectorAll('[data-selection]')].find((row) => row.dataset.selection === selection.key),
      selection);
  }
}

function show(row, leased) {
  const cell = row && row.querySelector('[data-countdown]');
  const seconds = Math.max(0, Math.ceil(secondsLeft(leased)));
  const text = countdown(seconds);
  if (cell && cell.textContent !== text) {
    cell.textContent = text;
    row.dataset.secondsLeft = String(seconds);
  }
}
