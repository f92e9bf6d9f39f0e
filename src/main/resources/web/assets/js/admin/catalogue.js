// The catalogue editor on the admin catalogue API (API.md "Catalog", "Admin catalogue, complete"): locations,
// services and staff listed with edit (PATCH, only the fields changed) and delete (asked twice), a location's
// booking rules, a staff member's working hours and time off. The server's two refusals are shown in place with
// the bookings they name: `in_use` (a delete that upcoming bookings need: cancel or move them first) and
// `bookings_affected` (a change that would strand bookings: the admin may confirm, and the same request goes again
// with `cancelAffected: true`). On a server without the complete API (feature-detected in session.js) the editor
// only creates, over the public lists.

import { t } from '../i18n.js';
import { errorMessage } from '../api.js';
import { admin, catalogue, features } from './session.js';
import { announce, dateTimeOf, field, h, money, zonedInstant } from './ui.js';

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const WINDOW = /^([01]\d|2[0-3]):[0-5]\d\s*[-–]\s*([01]\d|2[0-3]):[0-5]\d$/;
const KINDS = {
  locations: { path: 'locations', list: () => catalogue.locations },
  services: { path: 'services', list: () => catalogue.services },
  staff: { path: 'staff', list: () => catalogue.staff },
};
// What is open or shown survives a re-render (a language switch, a reload of the lists).
const state = { staffId: null, hours: null, timeOff: [], messages: {}, editing: null, confirmingDelete: null, problems: {} };
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
    const focusedId = document.activeElement && panel.contains(document.activeElement) ? document.activeElement.id : null;
    panel.replaceChildren(
      h('h2', { text: t('admin.catalogue.heading') }),
      h('p', { class: 'hint', id: 'catalogue-mode', 'data-mode': features.catalogueAdmin ? 'full' : 'create-only',
        text: features.catalogueAdmin ? t('admin.catalogue.full') : t('admin.catalogue.createOnly') }),
      h('div', { class: 'catalogue-grid' },
        kindCard('locations', t('admin.catalogue.locations'), locationLine, locationEditor, locationsForm()),
        kindCard('services', t('admin.catalogue.services'), serviceLine, serviceEditor, servicesForm()),
        kindCard('staff', t('admin.catalogue.staff'), staffLine, staffEditor, staffForm()),
        hoursCard(), timeOffCard()));
    const again = focusedId && document.getElementById(focusedId);
    if (again) again.focus();
  },
};

// --- messages and the server's refusals -------------------------------------------------------------------------

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
  if (!error && text) announce(text);
}

function refusal(error) {
  return error.detail || errorMessage(error, t);
}

/** One booking a refusal names: when, with whom, what; in the staff member's location's zone. */
function bookingLine(booking) {
  const zone = catalogue.zoneOf(booking.staffId);
  const member = catalogue.member(booking.staffId);
  const service = catalogue.service(booking.serviceId);
  return h('li', { 'data-booking-id': booking.id },
    h('strong', { text: dateTimeOf(booking.start, zone) }),
    ` · ${member ? member.name : `#${booking.staffId}`} · ${service ? service.name : `#${booking.serviceId}`}`,
    h('span', { class: 'hint', text: ` · ${booking.id.slice(0, 8)}` }));
}

/**
 * A refusal that names bookings, shown where the change was made (`key`): the list, and for bookings_affected a
 * confirm button that sends the change again with cancelAffected (`retry`), and one that changes nothing.
 */
function problemPanel(key) {
  const problem = state.problems[key];
  if (!problem) return h('div', { id: `catalogue-${key}-problem` });
  const bookings = (problem.error.problem && problem.error.problem.bookings) || [];
  const affected = problem.error.code === 'bookings_affected';
  const headingId = `catalogue-${key}-problem-heading`;
  return h('div', { id: `catalogue-${key}-problem`, class: 'alert problem', role: 'alert', 'data-code': problem.error.code,
    'aria-labelledby': headingId },
  h('p', { id: headingId, tabindex: '-1', class: 'problem-heading', text: affected
    ? t('admin.catalogue.affectedHeading', { count: bookings.length })
    : t('admin.catalogue.inUseHeading', { name: problem.name, count: bookings.length }) }),
  h('ul', { class: 'problem-bookings' }, bookings.map(bookingLine)),
  h('p', { text: affected ? t('admin.catalogue.affectedExplain') : t('admin.catalogue.inUseExplain') }),
  h('div', { class: 'actions' },
    affected && problem.retry ? h('button', { type: 'button', class: 'btn btn-danger', id: `catalogue-${key}-confirm`,
      text: t('admin.catalogue.cancelAndSave', { count: bookings.length }),
      onclick: async (event) => {
        event.currentTarget.disabled = true;
        const retry = problem.retry;
        clearProblem(key);
        try {
          await retry();
        } catch (error) {
          refused(key, error, problem.name, retry);
        }
      } }) : null,
    h('button', { type: 'button', class: 'btn', id: `catalogue-${key}-dismiss`,
      text: affected ? t('admin.catalogue.keepBookings') : t('admin.catalogue.understood'),
      onclick: () => {
        clearProblem(key);
        say(key, affected ? t('admin.catalogue.nothingChanged') : '', false);
      } })));
}

function showProblem(key) {
  const element = document.getElementById(`catalogue-${key}-problem`);
  if (element) element.replaceWith(problemPanel(key));
  const heading = document.getElementById(`catalogue-${key}-problem-heading`);
  if (heading) heading.focus();
}

function clearProblem(key) {
  delete state.problems[key];
  const element = document.getElementById(`catalogue-${key}-problem`);
  if (element) element.replaceWith(problemPanel(key));
}

/** Shows a refusal: in_use and bookings_affected in their panel with the bookings, anything else as a message. */
function refused(key, error, name, retry) {
  if ((error.code === 'in_use' || error.code === 'bookings_affected') && error.problem) {
    state.problems[key] = { error, name, retry };
    say(key, '', false);
    showProblem(key);
    return;
  }
  say(key, refusal(error), true);
}

// --- shared form plumbing ---------------------------------------------------------------------------------------

function input(name, type = 'text', extra = {}) {
  return h('input', { name, type, autocomplete: 'off', ...extra });
}

function form(key, title, fields, submitLabel, onSubmit, extra = []) {
  return h('form', { class: 'catalogue-form', id: `catalogue-${key}`, novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const element = event.currentTarget;
    const button = element.querySelector('button[type="submit"]');
    button.disabled = true;
    clearProblem(key);
    try {
      await onSubmit(element);
    } catch (error) {
      refused(key, error, '', null);
    } finally {
      button.disabled = false;
    }
  } },
  h('h4', { text: title }), fields, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', text: submitLabel }), extra),
  message(key), problemPanel(key));
}

async function reloadCatalogue() {
  await catalogue.load();
  catalogueSection.render();
}

const numberOf = (values, name) => Number(values.get(name));

// --- a kind: its list (edit, delete) and its create form ---------------------------------------------------------

function kindCard(kind, title, line, editor, createForm) {
  const items = KINDS[kind].list();
  const listKey = `${kind}-list`;
  return h('section', { class: 'card catalogue-kind', id: `catalogue-${kind}-card`, 'aria-labelledby': `catalogue-${kind}-heading` },
    h('h3', { id: `catalogue-${kind}-heading`, text: title }),
    h('ul', { class: 'entity-list', id: `catalogue-${kind}-list` }, items.map((item) => {
      const editing = state.editing && state.editing.kind === kind && state.editing.id === item.id;
      return h('li', { 'data-id': item.id, class: editing ? 'editing' : '' },
        h('span', { class: 'entity-line', text: line(item) }),
        features.catalogueAdmin ? rowActions(kind, item) : null,
        editing ? editor(item) : null);
    })),
    message(listKey), problemPanel(listKey),
    createForm);
}

function rowActions(kind, item) {
  const confirming = state.confirmingDelete && state.confirmingDelete.kind === kind && state.confirmingDelete.id === item.id;
  if (confirming) {
    return h('div', { class: 'actions', role: 'group', 'aria-label': t('admin.catalogue.deleteQuestion', { name: item.name }) },
      h('button', { type: 'button', class: 'btn btn-danger', id: `delete-${kind}-${item.id}-yes`,
        text: t('admin.catalogue.deleteYes'), onclick: () => remove(kind, item) }),
      h('button', { type: 'button', class: 'btn', id: `delete-${kind}-${item.id}-no`, text: t('admin.catalogue.keep'),
        onclick: () => {
          state.confirmingDelete = null;
          catalogueSection.render();
          focus(`delete-${kind}-${item.id}`);
        } }));
  }
  return h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn', id: `edit-button-${kind}-${item.id}`, 'aria-expanded': String(Boolean(state.editing
      && state.editing.kind === kind && state.editing.id === item.id)),
    text: t('admin.catalogue.edit'), 'aria-label': t('admin.catalogue.editLabel', { name: item.name }),
    onclick: () => {
      const open = state.editing && state.editing.kind === kind && state.editing.id === item.id;
      state.editing = open ? null : { kind, id: item.id, rules: null };
      catalogueSection.render();
      if (open) focus(`edit-button-${kind}-${item.id}`);
      else {
        focus(`edit-${kind}-${item.id}-name`);
        if (kind === 'locations') loadRules(item.id);
      }
    } }),
    h('button', { type: 'button', class: 'btn btn-danger', id: `delete-${kind}-${item.id}`, text: t('admin.catalogue.delete'),
      'aria-label': t('admin.catalogue.deleteLabel', { name: item.name }),
      onclick: () => {
        state.confirmingDelete = { kind, id: item.id };
        catalogueSection.render();
        focus(`delete-${kind}-${item.id}-yes`);
      } }));
}

function focus(id) {
  const element = document.getElementById(id);
  if (element) element.focus();
}

async function remove(kind, item) {
  const key = `${kind}-list`;
  state.confirmingDelete = null;
  try {
    await admin('DELETE', `/api/v1/admin/${KINDS[kind].path}/${item.id}`);
    if (kind === 'staff' && state.staffId === item.id) state.staffId = null;
    await catalogue.load();
    if (state.staffId === null && catalogue.staff.length) state.staffId = catalogue.staff[0].id;
    catalogueSection.render();
    say(key, t('admin.catalogue.deleted', { name: item.name }));
    focus(`catalogue-${kind}-heading`);
  } catch (error) {
    catalogueSection.render();
    refused(key, error, item.name, null);
  }
}

/** The editor of one entity, under its row: Save sends only the fields that changed. */
function editorForm(kind, item, fields, collect) {
  const key = `edit-${kind}-${item.id}`;
  return h('form', { class: 'entity-edit', id: key, novalidate: true, 'aria-label': t('admin.catalogue.editLabel', { name: item.name }),
    onsubmit: async (event) => {
      event.preventDefault();
      const element = event.currentTarget;
      clearProblem(key);
      const changes = collect(new FormData(element));
      if (changes.error) {
        say(key, changes.error, true);
        return;
      }
      const send = async (cancelAffected) => {
        await changes.save(cancelAffected);
        state.editing = null;
        await reloadCatalogue();
        say(`${kind}-list`, t('admin.catalogue.saved', { name: changes.name || item.name }));
        focus(`edit-button-${kind}-${item.id}`);
      };
      try {
        await send(false);
      } catch (error) {
        refused(key, error, item.name, () => send(true));
      }
    } },
  fields,
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'btn btn-primary', text: t('admin.catalogue.save') }),
    h('button', { type: 'button', class: 'btn', text: t('admin.catalogue.cancelEdit'), onclick: () => {
      state.editing = null;
      delete state.problems[key];
      catalogueSection.render();
      focus(`edit-button-${kind}-${item.id}`);
    } })),
  message(key), problemPanel(key));
}

/** The fields of `next` that differ from `item` (a PATCH body); empty when nothing changed. */
function changed(item, next) {
  return Object.fromEntries(Object.entries(next).filter(([name, value]) => JSON.stringify(item[name]) !== JSON.stringify(value)));
}

// --- locations --------------------------------------------------------------------------------------------------

function locationLine(l) {
  return `${l.name} · ${l.timeZone} · ${t('admin.catalogue.minutes', { minutes: l.slotIntervalMinutes })}`;
}

function zoneList() {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return h('datalist', { id: 'catalogue-zones' }, zones.map((name) => h('option', { value: name })));
}

async function loadRules(locationId) {
  try {
    const rules = await admin('GET', `/api/v1/admin/locations/${locationId}/rules`);
    if (!state.editing || state.editing.kind !== 'locations' || state.editing.id !== locationId) return;
    state.editing.rules = rules;
    for (const [name, value] of Object.entries(rules)) {
      const element = document.getElementById(`edit-locations-${locationId}-${name}`);
      if (element) element.value = String(value);
    }
    const status = document.getElementById(`edit-locations-${locationId}-rules-status`);
    if (status) status.textContent = '';
  } catch (error) {
    say(`edit-locations-${locationId}`, refusal(error), true);
  }
}

function locationEditor(l) {
  const id = `edit-locations-${l.id}`;
  const rules = state.editing.rules || { minNoticeMinutes: l.minNoticeMinutes, bookingWindowDays: l.bookingWindowDays,
    cancelCutoffMinutes: l.cancelCutoffMinutes };
  return editorForm('locations', l, [
    field(`${id}-name`, t('admin.catalogue.name'), input('name', 'text', { value: l.name, required: true })),
    field(`${id}-zone`, t('admin.catalogue.timeZone'), input('timeZone', 'text', { value: l.timeZone, list: 'catalogue-zones', required: true }),
      t('admin.catalogue.timeZoneChangeHint')),
    field(`${id}-interval`, t('admin.catalogue.slotInterval'), input('slotIntervalMinutes', 'number', { min: 5, max: 240, step: 5, value: String(l.slotIntervalMinutes) })),
    h('fieldset', { class: 'rules' }, h('legend', { text: t('admin.catalogue.rules') }),
      h('p', { class: 'hint', id: `${id}-rules-status`, text: state.editing.rules ? '' : t('common.loading') }),
      field(`${id}-minNoticeMinutes`, t('admin.catalogue.minNotice'), input('minNoticeMinutes', 'number', { min: 0, value: String(rules.minNoticeMinutes) })),
      field(`${id}-bookingWindowDays`, t('admin.catalogue.bookingWindow'), input('bookingWindowDays', 'number', { min: 1, max: 730, value: String(rules.bookingWindowDays) })),
      field(`${id}-cancelCutoffMinutes`, t('admin.catalogue.cancelCutoff'), input('cancelCutoffMinutes', 'number', { min: 0, value: String(rules.cancelCutoffMinutes) }))),
  ], (values) => {
    const name = String(values.get('name') || '').trim();
    if (!name) return { error: t('admin.catalogue.nameRequired') };
    const patch = changed(l, { name, timeZone: String(values.get('timeZone') || '').trim(),
      slotIntervalMinutes: numberOf(values, 'slotIntervalMinutes') });
    const before = state.editing.rules || rules;
    const nextRules = { minNoticeMinutes: numberOf(values, 'minNoticeMinutes'), bookingWindowDays: numberOf(values, 'bookingWindowDays'),
      cancelCutoffMinutes: numberOf(values, 'cancelCutoffMinutes') };
    const rulesChanged = Object.keys(changed(before, nextRules)).length > 0;
    return {
      name,
      async save(cancelAffected) {
        if (Object.keys(patch).length) {
          await admin('PATCH', `/api/v1/admin/locations/${l.id}`, cancelAffected ? { ...patch, cancelAffected: true } : patch);
        }
        if (rulesChanged) await admin('PUT', `/api/v1/admin/locations/${l.id}/rules`, nextRules);
      },
    };
  });
}

function locationsForm() {
  return form('locations', t('admin.catalogue.newLocation'), [
    field('location-name', t('admin.catalogue.name'), input('name', 'text', { required: true })),
    field('location-zone', t('admin.catalogue.timeZone'), input('timeZone', 'text', { list: 'catalogue-zones', value: 'Europe/Berlin', required: true }),
      t('admin.catalogue.timeZoneHint')),
    zoneList(),
    field('location-interval', t('admin.catalogue.slotInterval'), input('slotIntervalMinutes', 'number', { min: 5, max: 240, step: 5, value: '15', required: true })),
    field('location-notice', t('admin.catalogue.minNotice'), input('minNoticeMinutes', 'number', { min: 0, value: '60' })),
    field('location-window', t('admin.catalogue.bookingWindow'), input('bookingWindowDays', 'number', { min: 1, max: 730, value: '60' })),
    field('location-cutoff', t('admin.catalogue.cancelCutoff'), input('cancelCutoffMinutes', 'number', { min: 0, value: '120' })),
  ], t('admin.catalogue.create'), async (element) => {
    const values = new FormData(element);
    const created = await admin('POST', '/api/v1/admin/locations', {
      name: values.get('name').trim(), timeZone: values.get('timeZone').trim(),
      slotIntervalMinutes: numberOf(values, 'slotIntervalMinutes'), minNoticeMinutes: numberOf(values, 'minNoticeMinutes'),
      bookingWindowDays: numberOf(values, 'bookingWindowDays'), cancelCutoffMinutes: numberOf(values, 'cancelCutoffMinutes'),
    });
    await reloadCatalogue();
    say('locations', t('admin.catalogue.created', { name: created.name, id: created.id }));
  });
}

// --- services ---------------------------------------------------------------------------------------------------

function serviceLine(s) {
  return `${s.name} · ${t('admin.catalogue.minutes', { minutes: s.durationMinutes })} · ${money(s.priceCents)}`;
}

function serviceFields(id, s) {
  return [
    field(`${id}-name`, t('admin.catalogue.name'), input('name', 'text', { required: true, value: s ? s.name : null })),
    field(`${id}-duration`, t('admin.catalogue.duration'), input('durationMinutes', 'number', { min: 5, step: 5, value: String(s ? s.durationMinutes : 30), required: true })),
    field(`${id}-before`, t('admin.catalogue.bufferBefore'), input('bufferBeforeMinutes', 'number', { min: 0, step: 5, value: String(s ? s.bufferBeforeMinutes : 0) })),
    field(`${id}-after`, t('admin.catalogue.bufferAfter'), input('bufferAfterMinutes', 'number', { min: 0, step: 5, value: String(s ? s.bufferAfterMinutes : 0) })),
    field(`${id}-price`, t('admin.catalogue.price'), input('price', 'number', { min: 0, step: '0.01', value: s ? (s.priceCents / 100).toFixed(2) : '30.00', required: true })),
  ];
}

function serviceValues(values) {
  return {
    name: String(values.get('name') || '').trim(), durationMinutes: numberOf(values, 'durationMinutes'),
    bufferBeforeMinutes: numberOf(values, 'bufferBeforeMinutes'), bufferAfterMinutes: numberOf(values, 'bufferAfterMinutes'),
    priceCents: Math.round(numberOf(values, 'price') * 100),
  };
}

function serviceEditor(s) {
  return editorForm('services', s, serviceFields(`edit-services-${s.id}`, s), (values) => {
    const next = serviceValues(values);
    if (!next.name) return { error: t('admin.catalogue.nameRequired') };
    const patch = changed(s, next);
    return { name: next.name, save: async () => { if (Object.keys(patch).length) await admin('PATCH', `/api/v1/admin/services/${s.id}`, patch); } };
  });
}

function servicesForm() {
  return form('services', t('admin.catalogue.newService'), serviceFields('service', null), t('admin.catalogue.create'), async (element) => {
    const created = await admin('POST', '/api/v1/admin/services', serviceValues(new FormData(element)));
    await reloadCatalogue();
    say('services', t('admin.catalogue.created', { name: created.name, id: created.id }));
  });
}

// --- staff ------------------------------------------------------------------------------------------------------

function staffLine(m) {
  return `${m.name} · ${(catalogue.location(m.locationId) || {}).name || m.locationId}`;
}

function staffFields(id, m) {
  const location = h('select', { name: 'locationId' }, catalogue.locations.map((l) => h('option', { value: String(l.id), text: l.name })));
  if (m) location.value = String(m.locationId);
  return [
    field(`${id}-name`, t('admin.catalogue.name'), input('name', 'text', { required: true, value: m ? m.name : null })),
    field(`${id}-location`, t('admin.catalogue.location'), location),
    h('fieldset', { class: 'checkboxes' }, h('legend', { text: t('admin.catalogue.offers') }),
      catalogue.services.map((service) => h('label', { class: 'checkbox' },
        h('input', { type: 'checkbox', name: 'serviceIds', value: String(service.id), checked: m ? m.serviceIds.includes(service.id) : true }),
        service.name))),
  ];
}

function staffValues(values) {
  return { name: String(values.get('name') || '').trim(), locationId: numberOf(values, 'locationId'), serviceIds: values.getAll('serviceIds').map(Number) };
}

function staffEditor(m) {
  return editorForm('staff', m, staffFields(`edit-staff-${m.id}`, m), (values) => {
    const next = staffValues(values);
    if (!next.name) return { error: t('admin.catalogue.nameRequired') };
    const patch = changed({ ...m, serviceIds: [...m.serviceIds].sort((a, b) => a - b) },
      { ...next, serviceIds: next.serviceIds.sort((a, b) => a - b) });
    return {
      name: next.name,
      async save(cancelAffected) {
        if (Object.keys(patch).length) {
          await admin('PATCH', `/api/v1/admin/staff/${m.id}`, cancelAffected ? { ...patch, cancelAffected: true } : patch);
        }
      },
    };
  });
}

function staffForm() {
  return form('staff', t('admin.catalogue.newStaff'), staffFields('staff', null), t('admin.catalogue.create'), async (element) => {
    const created = await admin('POST', '/api/v1/admin/staff', staffValues(new FormData(element)));
    state.staffId = created.id;
    await reloadCatalogue();
    loadStaffDetails();
    say('staff', t('admin.catalogue.created', { name: created.name, id: created.id }));
  });
}

// --- working hours and time off of one staff member ---------------------------------------------------------------

function staffPicker(id) {
  const select = h('select', { onchange: (event) => {
    state.staffId = Number(event.target.value);
    state.hours = null;
    state.timeOff = [];
    delete state.problems.hours;
    delete state.problems.timeoff;
    catalogueSection.render();
    loadStaffDetails();
    focus(id);
  } }, catalogue.staff.map((m) => h('option', { value: String(m.id), text: m.name })));
  select.value = String(state.staffId);
  return field(id, t('admin.catalogue.staffMember'), select);
}

/**
 * Re-renders after details arrive without losing what the admin typed meanwhile: the forms are built anew, so the
 * values of their named fields are carried over (a slow answer must never wipe a half-filled form).
 */
function renderKeepingWhatWasTyped() {
  if (!panel) return;
  const typed = [...panel.querySelectorAll('form.catalogue-form [name]')]
    .map((field) => ({ form: field.form && field.form.id, name: field.name, value: field.value }));
  catalogueSection.render();
  for (const { form, name, value } of typed) {
    const field = form && document.getElementById(form) && document.getElementById(form).elements.namedItem(name);
    if (field && 'value' in field) field.value = value;
  }
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
    renderKeepingWhatWasTyped();
  } catch (error) {
    say('hours', refusal(error), true);
  }
}

function hoursCard() {
  const byDay = (day) => (state.hours || []).filter((w) => w.dayOfWeek === day).map((w) => `${w.start.slice(0, 5)}-${w.end.slice(0, 5)}`).join(', ');
  return h('section', { class: 'card', 'aria-labelledby': 'catalogue-hours-heading' },
    h('h3', { id: 'catalogue-hours-heading', text: t('admin.catalogue.hours') }),
    form('hours', t('admin.catalogue.weeklyHours'), [
      staffPicker('hours-staff'),
      h('p', { class: 'hint', id: 'hours-hint', text: t('admin.catalogue.hoursHint') }),
      DAYS.map((day) => field(`hours-${day.toLowerCase()}`, t(`admin.day.${day.toLowerCase()}`),
        input(day, 'text', { value: byDay(day), placeholder: '09:00-12:00, 13:00-17:00', 'aria-describedby': 'hours-hint' }))),
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
      const staffId = state.staffId;
      const name = (catalogue.member(staffId) || {}).name || '';
      const send = async (cancelAffected) => {
        state.hours = await admin('PUT', `/api/v1/admin/staff/${staffId}/working-hours`,
          cancelAffected ? { windows, cancelAffected: true } : windows);
        say('hours', cancelAffected ? t('admin.catalogue.savedCancelling', { name }) : t('admin.catalogue.hoursSaved', { name }));
      };
      try {
        await send(false);
      } catch (error) {
        refused('hours', error, name, () => send(true));
      }
    }));
}

function timeOffCard() {
  const zone = catalogue.zoneOf(state.staffId);
  return h('section', { class: 'card', 'aria-labelledby': 'catalogue-timeoff-heading' },
    h('h3', { id: 'catalogue-timeoff-heading', text: t('admin.catalogue.timeOff') }),
    form('timeoff', t('admin.catalogue.newTimeOff'), [
      staffPicker('timeoff-staff'),
      features.catalogueAdmin ? h('ul', { class: 'entity-list', id: 'catalogue-timeoff-list', 'aria-label': t('admin.catalogue.timeOff') },
        state.timeOff.length ? state.timeOff.map((off) => h('li', { 'data-id': off.id },
          h('span', { text: `${dateTimeOf(off.start, zone)} – ${dateTimeOf(off.end, zone)}${off.reason ? ` · ${off.reason}` : ''}` }),
          h('button', { type: 'button', class: 'btn btn-danger', text: t('admin.catalogue.delete'),
            'aria-label': t('admin.catalogue.deleteLabel', { name: dateTimeOf(off.start, zone) }),
            onclick: async () => {
              try {
                await admin('DELETE', `/api/v1/admin/staff/${state.staffId}/time-off/${off.id}`);
                await loadStaffDetails();
                say('timeoff', t('admin.catalogue.timeOffDeleted'));
                focus('catalogue-timeoff-heading');
              } catch (error) {
                say('timeoff', refusal(error), true);
              }
            } })))
          : h('li', { class: 'hint', text: t('admin.catalogue.noTimeOff') })) : null,
      h('p', { class: 'hint', text: t('admin.catalogue.zoneNote', { zone }) }),
      h('div', { class: 'pair' },
        field('timeoff-start-date', t('admin.catalogue.fromDate'), input('startDate', 'date', { required: true })),
        field('timeoff-start-time', t('admin.catalogue.fromTime'), input('startTime', 'time', { value: '09:00', required: true }))),
      h('div', { class: 'pair' },
        field('timeoff-end-date', t('admin.catalogue.toDate'), input('endDate', 'date', { required: true })),
        field('timeoff-end-time', t('admin.catalogue.toTime'), input('endTime', 'time', { value: '17:00', required: true }))),
      field('timeoff-reason', t('admin.catalogue.reason'), input('reason')),
    ], t('admin.catalogue.addTimeOff'), async (element) => {
      const values = new FormData(element);
      if (!values.get('startDate') || !values.get('endDate')) {
        say('timeoff', t('admin.catalogue.timeOffDates'), true);
        return;
      }
      const staffId = state.staffId;
      const body = {
        start: zonedInstant(values.get('startDate'), values.get('startTime'), zone),
        end: zonedInstant(values.get('endDate'), values.get('endTime'), zone),
        reason: values.get('reason') || null,
      };
      const send = async (cancelAffected) => {
        const created = await admin('POST', `/api/v1/admin/staff/${staffId}/time-off`, cancelAffected ? { ...body, cancelAffected: true } : body);
        if (features.catalogueAdmin) await loadStaffDetails();
        say('timeoff', t(cancelAffected ? 'admin.catalogue.timeOffAddedCancelling' : 'admin.catalogue.timeOffAdded',
          { from: dateTimeOf(created.start, zone), to: dateTimeOf(created.end, zone) }));
      };
      try {
        await send(false);
      } catch (error) {
        refused('timeoff', error, '', () => send(true));
      }
    }));
}
