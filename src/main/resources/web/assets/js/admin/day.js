// The day view: one location's bookings of a day, per staff member, with cancel. Today (in the location's zone)
// unless another date is chosen; live through the streams main.js opens for the shown staff.

import { t } from '../i18n.js';
import { errorMessage } from '../api.js';
import { admin, catalogue } from './session.js';
import { addDays, announce, dateIn, field, h, longDate, money, replaceKeepingFocus, timeOf } from './ui.js';

const state = { locationId: null, date: null, bookings: [], error: '', confirming: null, loaded: false, fingerprint: '' };
let panel = null;
let context = null;
let list = null;

/** What the day view shows, for the live section's selections. */
export function shownDay() {
  return { locationId: state.locationId, date: state.date, staff: staffShown() };
}

function staffShown() {
  return catalogue.staff.filter((member) => member.locationId === state.locationId);
}

function zone() {
  const location = catalogue.location(state.locationId);
  return location ? location.timeZone : Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export const daySection = {
  mount(element, ctx) {
    panel = element;
    context = ctx;
    if (state.locationId === null && catalogue.locations.length) state.locationId = catalogue.locations[0].id;
    if (!state.date) state.date = dateIn(zone());
    this.render();
    this.refresh();
  },

  render() {
    if (!panel) return;
    const locationSelect = h('select', { onchange: (event) => {
      state.locationId = Number(event.target.value);
      state.date = dateIn(zone());
      this.render();
      this.refresh();
    } }, catalogue.locations.map((location) => h('option', { value: String(location.id), text: location.name })));
    locationSelect.value = String(state.locationId);
    const dateInput = h('input', { type: 'date', value: state.date, onchange: (event) => {
      if (event.target.value) go(event.target.value);
    } });
    list = h('div', { class: 'day-staff', id: 'day-staff' });
    panel.replaceChildren(
      h('h2', { id: 'day-heading', text: t('admin.day.heading') }),
      h('p', { class: 'day-date', id: 'day-date', text: longDate(state.date) }),
      h('div', { class: 'toolbar' },
        field('day-location', t('admin.day.location'), locationSelect),
        field('day-date-input', t('admin.day.date'), dateInput),
        h('div', { class: 'toolbar-buttons' },
          h('button', { type: 'button', class: 'btn', text: t('admin.day.previous'), onclick: () => go(addDays(state.date, -1)) }),
          h('button', { type: 'button', class: 'btn', text: t('admin.day.today'), onclick: () => go(dateIn(zone())) }),
          h('button', { type: 'button', class: 'btn', text: t('admin.day.next'), onclick: () => go(addDays(state.date, 1)) }))),
      h('div', { class: 'alert', role: 'alert', id: 'day-error', text: state.error }),
      list);
    state.fingerprint = '';
    drawList();
  },

  async refresh() {
    if (!panel || state.locationId === null) return;
    const staff = staffShown();
    context.watchDay(state.date, staff.map((member) => member.id));
    const asked = `${state.locationId}|${state.date}`;
    try {
      const bookings = await admin('GET', `/api/v1/admin/bookings?date=${state.date}`);
      if (asked !== `${state.locationId}|${state.date}`) return; // the view moved on meanwhile
      const ids = new Set(staff.map((member) => member.id));
      state.bookings = bookings.filter((booking) => ids.has(booking.staffId));
      state.loaded = true;
      setError('');
    } catch (error) {
      setError(errorMessage(error, t));
    }
    drawList();
  },

  stop() {
    state.fingerprint = '';
  },
};

function go(date) {
  state.date = date;
  state.confirming = null;
  daySection.render();
  daySection.refresh();
}

function setError(text) {
  state.error = text;
  const alert = document.getElementById('day-error');
  if (alert && alert.textContent !== text) alert.textContent = text;
}

function drawList() {
  if (!list) return;
  const fingerprint = JSON.stringify([state.bookings, state.confirming, state.loaded]);
  if (fingerprint === state.fingerprint) return;
  state.fingerprint = fingerprint;
  const staff = staffShown();
  if (!staff.length) {
    replaceKeepingFocus(list, [h('p', { text: t('admin.day.noStaff') })]);
    return;
  }
  replaceKeepingFocus(list, staff.map((member) => {
    const bookings = state.bookings.filter((booking) => booking.staffId === member.id)
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    const confirmed = bookings.filter((booking) => booking.status === 'confirmed');
    const headingId = `day-staff-${member.id}`;
    return h('section', { class: 'card staff-day', tabindex: '-1', 'aria-labelledby': headingId, 'data-staff-id': member.id },
      h('h3', { id: headingId, text: member.name }),
      h('p', { class: 'hint', text: t('admin.day.summary', { count: confirmed.length }) }),
      bookings.length
        ? h('ul', { class: 'booking-list' }, bookings.map(bookingRow))
        : h('p', { class: 'empty', text: state.loaded ? t('admin.day.none') : t('common.loading') }));
  }));
}

function bookingRow(booking) {
  const service = catalogue.service(booking.serviceId);
  const cancelled = booking.status !== 'confirmed';
  const past = Date.parse(booking.start) < Date.now();
  const customer = booking.customer || {};
  const row = h('li', { class: `booking${cancelled ? ' booking-cancelled' : ''}`, 'data-booking-id': booking.id, 'data-status': booking.status },
    h('div', { class: 'booking-time', text: `${timeOf(booking.start, zone())}–${timeOf(booking.end, zone())}` }),
    h('div', { class: 'booking-what' },
      h('strong', { text: service ? service.name : `#${booking.serviceId}` }),
      h('span', { text: ` · ${customer.name || ''}` }),
      customer.email ? h('span', { class: 'hint booking-email', text: customer.email }) : null,
      h('span', { class: `badge badge-${booking.status}`, text: t(`admin.booking.status.${booking.status}`) }),
      booking.priceCents !== undefined ? h('span', { class: 'hint', text: money(booking.priceCents) }) : null));
  if (!cancelled && !past) row.append(cancelControls(booking, service));
  return row;
}

function cancelControls(booking, service) {
  const label = `${service ? service.name : ''} ${timeOf(booking.start, zone())}`.trim();
  if (state.confirming !== booking.id) {
    return h('div', { class: 'booking-actions' },
      h('button', { type: 'button', class: 'btn btn-danger', 'data-key': `cancel-${booking.id}`,
        'aria-label': t('admin.day.cancelLabel', { what: label }), text: t('admin.day.cancel'),
        onclick: () => {
          state.confirming = booking.id;
          drawList();
          const confirm = list.querySelector(`[data-key="confirm-${booking.id}"]`);
          if (confirm) confirm.focus();
        } }));
  }
  return h('div', { class: 'booking-actions', role: 'group', 'aria-label': t('admin.day.confirmGroup', { what: label }) },
    h('button', { type: 'button', class: 'btn btn-danger', 'data-key': `confirm-${booking.id}`, text: t('admin.day.confirmCancel'),
      onclick: async (event) => {
        event.currentTarget.disabled = true;
        try {
          await admin('DELETE', `/api/v1/bookings/${booking.id}`);
          announce(t('admin.day.cancelled', { what: label }));
          state.confirming = null;
          await daySection.refresh();
          const heading = document.getElementById(`day-staff-${booking.staffId}`);
          if (heading) heading.closest('section').focus({ preventScroll: true });
        } catch (error) {
          state.confirming = null;
          setError(errorMessage(error, t));
          drawList();
        }
      } }),
    h('button', { type: 'button', class: 'btn', 'data-key': `keep-${booking.id}`, text: t('admin.day.keep'),
      onclick: () => {
        state.confirming = null;
        drawList();
        const cancel = list.querySelector(`[data-key="cancel-${booking.id}"]`);
        if (cancel) cancel.focus();
      } }));
}
