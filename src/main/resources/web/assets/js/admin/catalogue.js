// The catalogue editor on the admin catalogue endpoints (API.md "Catalog"): create locations, services and staff,
// set working hours, add time off. Where the server has the admin lists (feature-detected in session.js) it also
// loads a staff member's hours and time off and deletes entities; otherwise the public lists show what exists.

import { t } from '../i18n.js';
import { errorMessage } from '../api.js';
import { admin, catalogue, features } from './session.js';
import { announce, dateTimeOf, field, h, money, zonedInstant } from './ui.js';

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const WINDOW = /^([01]\d|2[0-3]):[0-5]\d\s*[-–]\s*([01]\d|2[0-3]):[0-5]\d$/;
const state = { staffId: null, hours: null, timeOff: [], messages: {} };
let panel = null;

export const catalogueSection = {
  mount(element) {
    panel = element;
    if (state.staffId === null && catalogue.staff.length) state.staffId = catalogue.staff[0].id;
    this.render();
    loadStaffDetails();
  },

  render() {
    if (!panel) return;
    panel.replaceChildren(
      h('h2', { text: t('admin.catalogue.heading') }),
      h('p', { class: 'hint', id: 'catalogue-mode', 'data-mode': features.catalogueAdmin ? 'full' : 'create-only',
        text: features.catalogueAdmin ? t('admin.catalogue.full') : t('admin.catalogue.createOnly') }),
      h('div', { class: 'catalogue-grid' },
        locationsCard(), servicesCard(), staffCard(), hoursCard(), timeOffCard()));
  },
};

// --- shared form plumbing -----------------------------------------------------------------------------------

function message(key) {
  const entry = state.messages[key];
  return h('p', { class: entry && entry.error ? 'alert' : 'alert alert-ok', role: entry && entry.error ? 'alert' : 'status',
    id: `catalogue-${key}-message`, text: entry ? entry.text : '' });
}

function say(key, text, error = false) {
  state.messages[key] = { text, error };
  const element = document.getElementById(`catalogue-${key}-message`);
  if (element) {
    element.className = error ? 'alert' : 'alert alert-ok';
    element.setAttribute('role', error ? 'alert' : 'status');
    element.textContent = text;
  }
  if (!error) announce(text);
}

function input(name, type = 'text', extra = {}) {
  return h('input', { name, type, autocomplete: 'off', ...extra });
}

function form(key, title, fields, submitLabel, onSubmit) {
  return h('form', { class: 'card catalogue-form', id: `catalogue-${key}`, novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const button = event.currentTarget.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      await onSubmit(event.currentTarget);
    } catch (error) {
      say(key, error.code === 'bookings_affected' ? `${t('admin.catalogue.affected')} ${error.detail}` : error.detail || errorMessage(error, t), true);
    } finally {
      button.disabled = false;
    }
  } },
  h('h3', { text: title }), fields, h('button', { type: 'submit', class: 'btn btn-primary', text: submitLabel }), message(key));
}

async function reloadCatalogue() {
  await catalogue.load();
  catalogueSection.render();
}

function entityList(kind, items, describe) {
  return h('ul', { class: 'entity-list', id: `catalogue-${kind}-list` }, items.map((item) => h('li', { 'data-id': item.id },
    h('span', { text: describe(item) }),
    features.catalogueAdmin ? h('button', { type: 'button', class: 'btn btn-danger btn-small', text: t('admin.catalogue.delete'),
      'aria-label': t('admin.catalogue.deleteLabel', { name: item.name }),
      onclick: async () => {
        try {
          await admin('DELETE', `/api/v1/admin/${kind}/${item.id}`);
          await reloadCatalogue();
          say(kind, t('admin.catalogue.deleted', { name: item.name }));
        } catch (error) {
          say(kind, error.code === 'in_use' ? t('admin.catalogue.inUse', { name: item.name }) : error.detail || errorMessage(error, t), true);
        }
      } }) : null)));
}

// --- locations, services, staff ------------------------------------------------------------------------------

function locationsCard() {
  const zone = input('timeZone', 'text', { list: 'catalogue-zones', value: 'Europe/Berlin', required: true });
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return h('div', {},
    form('locations', t('admin.catalogue.locations'), [
      entityList('locations', catalogue.locations, (l) => `${l.name} · ${l.timeZone} · ${l.slotIntervalMinutes} min`),
      field('location-name', t('admin.catalogue.name'), input('name', 'text', { required: true })),
      field('location-zone', t('admin.catalogue.timeZone'), zone, t('admin.catalogue.timeZoneHint')),
      h('datalist', { id: 'catalogue-zones' }, zones.map((name) => h('option', { value: name }))),
      field('location-interval', t('admin.catalogue.slotInterval'), input('slotIntervalMinutes', 'number', { min: 5, max: 240, step: 5, value: '15', required: true })),
      field('location-notice', t('admin.catalogue.minNotice'), input('minNoticeMinutes', 'number', { min: 0, value: '60' })),
      field('location-window', t('admin.catalogue.bookingWindow'), input('bookingWindowDays', 'number', { min: 1, max: 730, value: '60' })),
      field('location-cutoff', t('admin.catalogue.cancelCutoff'), input('cancelCutoffMinutes', 'number', { min: 0, value: '120' })),
    ], t('admin.catalogue.create'), async (element) => {
      const values = new FormData(element);
      const created = await admin('POST', '/api/v1/admin/locations', {
        name: values.get('name').trim(), timeZone: values.get('timeZone').trim(),
        slotIntervalMinutes: Number(values.get('slotIntervalMinutes')), minNoticeMinutes: Number(values.get('minNoticeMinutes')),
        bookingWindowDays: Number(values.get('bookingWindowDays')), cancelCutoffMinutes: Number(values.get('cancelCutoffMinutes')),
      });
      await reloadCatalogue();
      say('locations', t('admin.catalogue.created', { name: created.name, id: created.id }));
    }));
}

function servicesCard() {
  return form('services', t('admin.catalogue.services'), [
    entityList('services', catalogue.services, (s) => `${s.name} · ${s.durationMinutes} min · ${money(s.priceCents)}`),
    field('service-name', t('admin.catalogue.name'), input('name', 'text', { required: true })),
    field('service-duration', t('admin.catalogue.duration'), input('durationMinutes', 'number', { min: 5, step: 5, value: '30', required: true })),
    field('service-before', t('admin.catalogue.bufferBefore'), input('bufferBeforeMinutes', 'number', { min: 0, step: 5, value: '0' })),
    field('service-after', t('admin.catalogue.bufferAfter'), input('bufferAfterMinutes', 'number', { min: 0, step: 5, value: '0' })),
    field('service-price', t('admin.catalogue.price'), input('price', 'number', { min: 0, step: '0.01', value: '30.00', required: true })),
  ], t('admin.catalogue.create'), async (element) => {
    const values = new FormData(element);
    const created = await admin('POST', '/api/v1/admin/services', {
      name: values.get('name').trim(), durationMinutes: Number(values.get('durationMinutes')),
      bufferBeforeMinutes: Number(values.get('bufferBeforeMinutes')), bufferAfterMinutes: Number(values.get('bufferAfterMinutes')),
      priceCents: Math.round(Number(values.get('price')) * 100),
    });
    await reloadCatalogue();
    say('services', t('admin.catalogue.created', { name: created.name, id: created.id }));
  });
}

function staffCard() {
  const location = h('select', { name: 'locationId' }, catalogue.locations.map((l) => h('option', { value: String(l.id), text: l.name })));
  const services = h('fieldset', { class: 'checkboxes' }, h('legend', { text: t('admin.catalogue.offers') }),
    catalogue.services.map((service) => h('label', { class: 'checkbox' },
      h('input', { type: 'checkbox', name: 'serviceIds', value: String(service.id), checked: true }), service.name)));
  return form('staff', t('admin.catalogue.staff'), [
    entityList('staff', catalogue.staff, (m) => `${m.name} · ${(catalogue.location(m.locationId) || {}).name || m.locationId}`),
    field('staff-name', t('admin.catalogue.name'), input('name', 'text', { required: true })),
    field('staff-location', t('admin.catalogue.location'), location),
    services,
  ], t('admin.catalogue.create'), async (element) => {
    const values = new FormData(element);
    const created = await admin('POST', '/api/v1/admin/staff', {
      name: values.get('name').trim(), locationId: Number(values.get('locationId')), serviceIds: values.getAll('serviceIds').map(Number),
    });
    state.staffId = created.id;
    await reloadCatalogue();
    say('staff', t('admin.catalogue.created', { name: created.name, id: created.id }));
  });
}

// --- working hours and time off of one staff member ------------------------------------------------------------

/** Only a server with the complete admin catalogue knows `cancelAffected` (an older one refuses unknown fields). */
function cancelAffectedBox(key) {
  if (!features.catalogueAdmin) return null;
  return h('label', { class: 'checkbox' },
    h('input', { type: 'checkbox', name: 'cancelAffected', value: 'true', id: `${key}-cancel-affected` }),
    t('admin.catalogue.cancelAffected'));
}

function staffPicker(id) {
  const select = h('select', { onchange: (event) => {
    state.staffId = Number(event.target.value);
    state.hours = null;
    state.timeOff = [];
    catalogueSection.render();
    loadStaffDetails();
    const again = document.getElementById(id);
    if (again) again.focus();
  } }, catalogue.staff.map((m) => h('option', { value: String(m.id), text: m.name })));
  select.value = String(state.staffId);
  return field(id, t('admin.catalogue.staffMember'), select);
}

async function loadStaffDetails() {
  if (!features.catalogueAdmin || state.staffId === null) return;
  try {
    const [hours, timeOff] = await Promise.all([
      admin('GET', `/api/v1/admin/staff/${state.staffId}/working-hours`),
      admin('GET', `/api/v1/admin/staff/${state.staffId}/time-off`),
    ]);
    state.hours = hours;
    state.timeOff = timeOff;
    catalogueSection.render();
  } catch (error) {
    say('hours', error.detail || errorMessage(error, t), true);
  }
}

function hoursCard() {
  const byDay = (day) => (state.hours || []).filter((w) => w.dayOfWeek === day).map((w) => `${w.start.slice(0, 5)}-${w.end.slice(0, 5)}`).join(', ');
  return form('hours', t('admin.catalogue.hours'), [
    staffPicker('hours-staff'),
    h('p', { class: 'hint', id: 'hours-hint', text: t('admin.catalogue.hoursHint') }),
    DAYS.map((day) => field(`hours-${day.toLowerCase()}`, t(`admin.day.${day.toLowerCase()}`),
      input(day, 'text', { value: byDay(day), placeholder: '09:00-12:00, 13:00-17:00', 'aria-describedby': 'hours-hint' }))),
    cancelAffectedBox('hours'),
  ], t('admin.catalogue.saveHours'), async (element) => {
    const values = new FormData(element);
    const windows = [];
    for (const day of DAYS) {
      for (const part of String(values.get(day) || '').split(',').map((p) => p.trim()).filter(Boolean)) {
        if (!WINDOW.test(part)) {
          say('hours', t('admin.catalogue.hoursInvalid', { day: t(`admin.day.${day.toLowerCase()}`), value: part }), true);
          return;
        }
        const [start, end] = part.split(/\s*[-–]\s*/);
        windows.push({ dayOfWeek: day, start, end });
      }
    }
    const cancelAffected = values.get('cancelAffected') ? '?cancelAffected=true' : '';
    state.hours = await admin('PUT', `/api/v1/admin/staff/${state.staffId}/working-hours${cancelAffected}`, windows);
    say('hours', t('admin.catalogue.hoursSaved', { name: (catalogue.member(state.staffId) || {}).name || '' }));
  });
}

function timeOffCard() {
  const zone = catalogue.zoneOf(state.staffId);
  return form('timeoff', t('admin.catalogue.timeOff'), [
    staffPicker('timeoff-staff'),
    features.catalogueAdmin ? h('ul', { class: 'entity-list', id: 'catalogue-timeoff-list' }, state.timeOff.map((off) => h('li', {},
      h('span', { text: `${dateTimeOf(off.start, zone)} – ${dateTimeOf(off.end, zone)}${off.reason ? ` · ${off.reason}` : ''}` }),
      h('button', { type: 'button', class: 'btn btn-danger btn-small', text: t('admin.catalogue.delete'),
        'aria-label': t('admin.catalogue.deleteLabel', { name: dateTimeOf(off.start, zone) }),
        onclick: async () => {
          try {
            await admin('DELETE', `/api/v1/admin/staff/${state.staffId}/time-off/${off.id}`);
            await loadStaffDetails();
            say('timeoff', t('admin.catalogue.timeOffDeleted'));
          } catch (error) {
            say('timeoff', error.detail || errorMessage(error, t), true);
          }
        } })))) : null,
    h('p', { class: 'hint', text: t('admin.catalogue.zoneNote', { zone }) }),
    h('div', { class: 'pair' },
      field('timeoff-start-date', t('admin.catalogue.fromDate'), input('startDate', 'date', { required: true })),
      field('timeoff-start-time', t('admin.catalogue.fromTime'), input('startTime', 'time', { value: '09:00', required: true }))),
    h('div', { class: 'pair' },
      field('timeoff-end-date', t('admin.catalogue.toDate'), input('endDate', 'date', { required: true })),
      field('timeoff-end-time', t('admin.catalogue.toTime'), input('endTime', 'time', { value: '17:00', required: true }))),
    field('timeoff-reason', t('admin.catalogue.reason'), input('reason')),
    cancelAffectedBox('timeoff'),
  ], t('admin.catalogue.addTimeOff'), async (element) => {
    const values = new FormData(element);
    if (!values.get('startDate') || !values.get('endDate')) {
      say('timeoff', t('admin.catalogue.timeOffDates'), true);
      return;
    }
    const body = {
      start: zonedInstant(values.get('startDate'), values.get('startTime'), zone),
      end: zonedInstant(values.get('endDate'), values.get('endTime'), zone),
      reason: values.get('reason') || null,
    };
    if (values.get('cancelAffected')) body.cancelAffected = true;
    const created = await admin('POST', `/api/v1/admin/staff/${state.staffId}/time-off`, body);
    say('timeoff', t('admin.catalogue.timeOffAdded', { from: dateTimeOf(created.start, zone), to: dateTimeOf(created.end, zone) }));
    if (features.catalogueAdmin) await loadStaffDetails();
  });
}
