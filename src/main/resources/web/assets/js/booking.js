// The booking page (/): location, service, staff (or any available), a day, a live slot grid, a hold with its
// lease, the customer's details, the email code and the confirmation. Nothing typed is ever lost on a refusal.

import { api, query, errorMessage, clientId as ownClientId, ApiError, uuid } from './api.js';
import { t, startLanguage, useLanguage, languageSwitcher, onLanguageChange } from './i18n.js';
import { LiveGrid, holdable } from './live-grid.js';
import { HoldKeeper } from './hold.js';
import { MonthCalendar } from './calendar.js';
import { embedded, reportHeight } from './embed.js';
import {
  viewerZone, zoneName, dateIn, addDays, formatDate, formatTime, formatDay, money,
} from './times.js';

const $ = (id) => document.getElementById(id);
const clientId = ownClientId();
const params = new URLSearchParams(location.search);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SESSION_KEY = 'holdfast.session';

const state = {
  locations: [], services: [], staff: [],
  location: null, service: null, staffChoice: 'any', date: null,
  ownZone: false, grid: null, calendar: null, dayFree: new Map(), bookingKey: null, lost: null,
};

const keeper = new HoldKeeper({
  clientId, timer: $('hold-timer'), warning: $('hold-warning'),
  onLapse: () => { if (state.grid) state.grid.refetch().catch(() => {}); },
});

function showAlert(message) {
  $('alert').textContent = message || '';
}

function zone() {
  return state.ownZone ? viewerZone() : state.location.timeZone;
}

function staffName(id) {
  const member = state.staff.find((s) => s.id === id);
  return member ? member.name : '';
}

function staffIds() {
  const offering = state.staff.filter((s) => s.serviceIds.includes(state.service.id));
  if (state.staffChoice !== 'any') return [Number(state.staffChoice)];
  return offering.map((s) => s.id);
}

function option(value, text) {
  const element = document.createElement('option');
  element.value = String(value);
  element.textContent = text;
  return element;
}

function fillPickers() {
  $('location').replaceChildren(...state.locations.map((l) => option(l.id, l.name)));
  $('location').value = String(state.location.id);
  $('service').replaceChildren(...state.services.map((s) => option(s.id,
    t('booking.serviceOption', { name: s.name, minutes: s.durationMinutes, price: money(s.priceCents) }))));
  $('service').value = String(state.service.id);
  const offering = state.staff.filter((s) => s.serviceIds.includes(state.service.id));
  $('staff').replaceChildren(option('any', t('booking.anyStaff')), ...offering.map((s) => option(s.id, s.name)));
  if (!offering.some((s) => String(s.id) === state.staffChoice)) state.staffChoice = 'any';
  $('staff').value = state.staffChoice;
}

function today() {
  return dateIn(new Date(), state.location.timeZone);
}

function lastDay() {
  return addDays(today(), state.location.bookingWindowDays || 60);
}

function remember() {
  const search = new URLSearchParams({
    locationId: state.location.id, serviceId: state.service.id, date: state.date,
  });
  if (state.staffChoice !== 'any') search.set('staffId', state.staffChoice);
  if (embedded()) search.set('embed', '1');
  history.replaceState(null, '', `/?${search}`);
}

function dayKey(date) {
  return `${state.location.id}|${state.service.id}|${state.staffChoice}|${date}`;
}

function availability(staffId, serviceId, date) {
  return api.get(`/api/v1/availability${query({ staffId, serviceId, date, clientId })}`);
}

/**
 * Answers of the availability endpoint fetched before the grid existed (the preselected day, asked beside the
 * catalogue; the day firstOpenDay found open), so that the grid's first load does not ask again. Taken once, and
 * only while fresh: the grid's event stream opens after its first load, as it does after a fetch of its own.
 */
const earlyAnswers = new Map();
const EARLY_ANSWER_MS = 5000;

function keepAnswer(staffId, serviceId, date, answer) {
  answer.catch(() => {}); // a refusal is the grid's to show when it takes the answer, not an unhandled rejection
  earlyAnswers.set(`${staffId}|${serviceId}|${date}`, { answer, at: Date.now() });
  return answer;
}

function takeAnswer(staffId, serviceId, date) {
  const key = `${staffId}|${serviceId}|${date}`;
  const early = earlyAnswers.get(key);
  earlyAnswers.delete(key);
  return early && Date.now() - early.at < EARLY_ANSWER_MS ? early.answer : null;
}

async function dayHasFreeTime(date, keep = false) {
  const key = dayKey(date);
  if (state.dayFree.has(key)) return state.dayFree.get(key);
  const answers = await Promise.all(staffIds().map((staffId) => (keep
    ? keepAnswer(staffId, state.service.id, date, availability(staffId, state.service.id, date))
    : availability(staffId, state.service.id, date))));
  const free = answers.some((a) => a.slots.some((slot) => holdable(slot.state) || slot.state === 'mine'));
  state.dayFree.set(key, free);
  return free;
}

function renderCalendar() {
  const focused = $('calendar').contains(document.activeElement) && document.activeElement.dataset.date;
  state.calendar.render(focused || undefined);
}

/** Marks the days of the shown month, a few requests at a time, after the chosen day's slots are up. */
async function fillMonth() {
  const month = state.calendar.month;
  const days = [];
  for (let day = `${month}-01`; day.startsWith(month); day = addDays(day, 1)) {
    if (day >= today() && day <= lastDay() && !state.dayFree.has(dayKey(day))) days.push(day);
  }
  const context = dayKey('');
  let next = 0;
  const worker = async () => {
    while (next < days.length && context === dayKey('')) {
      const day = days[next];
      next += 1;
      try {
        await dayHasFreeTime(day);
      } catch {
        return;
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  if (context === dayKey('') && month === state.calendar.month) renderCalendar();
}

function setupCalendar() {
  state.calendar = new MonthCalendar($('calendar'), {
    min: today(), max: lastDay(), selected: state.date,
    availability: (day) => state.dayFree.get(dayKey(day)),
    onPick: (day) => { state.date = day; showDay(); },
    onMonth: () => fillMonth(),
  });
  state.calendar.render();
}

function renderZone() {
  $('zone-label').textContent = t('booking.times.zone', { zone: zoneName(zone(), new Date(`${state.date}T12:00:00Z`)) });
  const own = viewerZone();
  $('own-zone-label').textContent = t('booking.zone.switch', { zone: own.replace(/_/g, ' ') });
  $('own-zone').closest('.field-check').hidden = own === state.location.timeZone;
}

function renderTimesHeading() {
  $('times-heading').textContent = t('booking.times.heading', { date: formatDate(state.date) });
}

async function showDay() {
  if (state.grid) state.grid.close();
  remember();
  renderTimesHeading();
  renderZone();
  const times = $('times');
  times.setAttribute('aria-busy', 'true');
  $('times-status').hidden = false;
  $('times-status').innerHTML = '<span class="spinner" aria-hidden="true"></span> <span></span>';
  $('times-status').lastChild.textContent = t('booking.times.loading');
  $('slots').replaceChildren();
  const grid = new LiveGrid($('slots'), {
    staffIds: staffIds(), serviceId: state.service.id, date: state.date, clientId,
    firstAnswer: (staffId) => takeAnswer(staffId, state.service.id, state.date),
    zone, locationZone: state.location.timeZone, mark: (staffId, slot) => keeper.markOf(staffId, slot),
    onChoose: (slot) => choose(slot),
    onRender: (slots) => {
      if (grid !== state.grid) return;
      const free = slots.some((s) => holdable(s.state) || s.state === 'mine');
      $('times-status').hidden = slots.length > 0 && free;
      $('times-status').textContent = free ? '' : t('booking.times.none');
      const key = dayKey(state.date);
      if (state.dayFree.get(key) !== free) {
        state.dayFree.set(key, free);
        renderCalendar();
      }
    },
  });
  state.grid = grid;
  try {
    await grid.start();
  } catch (error) {
    if (grid === state.grid) showAlert(errorMessage(error, t));
  } finally {
    if (grid === state.grid) times.setAttribute('aria-busy', 'false');
  }
}

/**
 * The first of the next 14 days with free time. Days are asked three at a time (a closed day, or an evening with
 * nothing left today, costs no extra round trip); the answers of the day found are kept for the grid.
 */
async function firstOpenDay(from) {
  const days = [];
  for (let day = from; days.length < 14 && day <= lastDay(); day = addDays(day, 1)) days.push(day);
  for (let i = 0; i < days.length; i += 3) {
    const batch = days.slice(i, i + 3);
    const free = await Promise.all(batch.map((day) => dayHasFreeTime(day, true)));
    const found = batch.find((day, j) => free[j]);
    if (found) return found;
  }
  return from;
}

function heldSummary() {
  const hold = keeper.hold;
  if (!hold) return;
  const start = new Date(hold.start);
  $('held-summary').textContent = t('hold.summary', {
    service: state.service.name, staff: staffName(hold.staffId),
    date: formatDay(start, zone()), time: formatTime(start, zone()), zone: zone().replace(/_/g, ' '),
  });
}

function show(section, visible) {
  $(section).hidden = !visible;
}

async function choose(slot) {
  showAlert('');
  if (slot.state === 'mine') {
    $('name').focus();
    return;
  }
  if (!holdable(slot.state)) return;
  try {
    await keeper.take(slot.staffId, state.service.id, slot.start);
    state.bookingKey = uuid();
    state.grid.changed();
    heldSummary();
    show('alternatives', false);
    show('held', true);
    show('details', true);
    show('code-step', false);
    $('held-heading').focus();
  } catch (error) {
    showAlert(errorMessage(error, t));
    state.grid.refetch().catch(() => {});
  }
}

async function releaseAndChooseAgain() {
  await keeper.release();
  show('held', false);
  show('details', false);
  show('code-step', false);
  state.grid.changed();
  const first = $('slots').querySelector('button[tabindex="0"]');
  if (first) first.focus();
}

function fieldError(id, message) {
  const input = $(id);
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
  $(`${id}-error`).textContent = message || '';
  return !message;
}

function validDetails() {
  const name = $('name').value.trim();
  const email = $('email').value.trim();
  const okName = fieldError('name', name ? '' : t('form.required', { field: t('form.name') }));
  const okEmail = fieldError('email', !email ? t('form.required', { field: t('form.email') })
    : EMAIL.test(email) ? '' : t('form.emailInvalid'));
  if (!okName) $('name').focus();
  else if (!okEmail) $('email').focus();
  return okName && okEmail;
}

function storedSession(email) {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    return session && session.email.toLowerCase() === email.toLowerCase() && new Date(session.expiresAt) > new Date()
      ? session : null;
  } catch {
    return null;
  }
}

function keepSession(session) {
  try {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  } catch {
    // Without storage the code is asked again next time.
  }
}

function busy(button, on) {
  button.disabled = on;
  button.setAttribute('aria-busy', String(on));
}

async function submitDetails(event) {
  event.preventDefault();
  showAlert('');
  if (!validDetails()) return;
  const email = $('email').value.trim();
  const session = storedSession(email);
  if (session) {
    await book(session);
    return;
  }
  busy($('continue'), true);
  try {
    await api.post('/api/v1/auth/otp', { email });
    $('code-intro').textContent = t('code.intro', { email });
    show('code-step', true);
    $('code').focus();
  } catch (error) {
    showAlert(errorMessage(error, t));
  } finally {
    busy($('continue'), false);
  }
}

async function submitCode(event) {
  event.preventDefault();
  showAlert('');
  const code = $('code').value.replace(/\s+/g, '');
  if (!fieldError('code', code ? '' : t('code.required'))) {
    $('code').focus();
    return;
  }
  busy($('confirm'), true);
  try {
    const session = await api.post('/api/v1/auth/otp/verify', { email: $('email').value.trim(), code });
    keepSession(session);
    fieldError('code', '');
    await book(session);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'otp_invalid') {
      fieldError('code', errorMessage(error, t));
      $('code').focus();
    } else {
      showAlert(errorMessage(error, t));
    }
  } finally {
    busy($('confirm'), false);
  }
}

async function book(session) {
  const hold = keeper.hold;
  if (!hold) {
    showAlert(t('error.hold_expired'));
    offerAlternatives(state.lost);
    return;
  }
  const customer = { name: $('name').value.trim(), email: $('email').value.trim() };
  const phone = $('phone').value.trim();
  if (phone) customer.phone = phone;
  const body = { holdId: hold.holdId, holdToken: hold.token, customer };
  const notes = $('notes').value.trim();
  if (notes) body.notes = notes;
  try {
    const answer = await api.post('/api/v1/bookings', body, {
      headers: { 'Idempotency-Key': state.bookingKey, Authorization: `Bearer ${session.sessionToken}` },
    });
    keeper.stop();
    confirmed(answer.bookings[0], customer.email);
  } catch (error) {
    if (error.code === 'unauthorized') {
      try { sessionStorage.removeItem(SESSION_KEY); } catch { /* nothing kept */ }
    }
    if (error.code === 'slot_booked' || error.code === 'hold_expired') {
      state.lost = hold.start;
      keeper.stop();
      showAlert(errorMessage(error, t));
      await state.grid.refetch().catch(() => {});
      offerAlternatives(hold.start);
      return;
    }
    showAlert(errorMessage(error, t));
  }
}

function offerAlternatives(start) {
  show('held', false);
  show('code-step', false);
  const nearest = start ? state.grid.nearestFree(start) : [];
  const list = $('alternative-slots');
  list.replaceChildren(...nearest.map((slot) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'slot';
    button.dataset.start = slot.start;
    button.dataset.state = slot.state;
    button.innerHTML = '<span class="slot-time"></span> <span class="slot-state"></span>';
    button.querySelector('.slot-time').textContent = formatTime(new Date(slot.start), zone());
    button.querySelector('.slot-state').textContent = t(`state.${slot.state}`);
    button.addEventListener('click', () => choose(slot));
    return button;
  }));
  if (!nearest.length) {
    const none = document.createElement('p');
    none.textContent = t('alternatives.none');
    list.append(none);
  }
  show('alternatives', true);
  $('alternatives-heading').focus();
}

function icsStamp(date) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function confirmed(booking, email) {
  const start = new Date(booking.start);
  const end = new Date(booking.end);
  const manage = `${location.origin}/manage/${booking.id}#token=${encodeURIComponent(booking.manageToken)}`;
  const title = `${state.service.name} – ${state.location.name}`;
  $('done-summary').textContent = t('confirm.summary', { service: state.service.name, staff: staffName(booking.staffId) });
  $('done-when').textContent = t('confirm.when', {
    date: formatDay(start, zone()), start: formatTime(start, zone()), end: formatTime(end, zone()),
    zone: zone().replace(/_/g, ' '),
  });
  $('done-mail').textContent = t('confirm.mail', { email });
  const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Holdfast//Booking//EN', 'BEGIN:VEVENT',
    `UID:${booking.id}`, `DTSTAMP:${icsStamp(new Date())}`, `DTSTART:${icsStamp(start)}`, `DTEND:${icsStamp(end)}`,
    `SUMMARY:${title.replace(/[,;]/g, ' ')}`, `LOCATION:${state.location.name.replace(/[,;]/g, ' ')}`,
    `DESCRIPTION:${manage}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  $('ics').href = URL.createObjectURL(new Blob([ics], { type: 'text/calendar' }));
  $('google').href = `https://calendar.google.com/calendar/render${query({
    action: 'TEMPLATE', text: title, dates: `${icsStamp(start)}/${icsStamp(end)}`, details: manage, location: state.location.name,
  })}`;
  $('manage-link').href = manage;
  show('choose', false);
  show('held', false);
  show('details', false);
  show('code-step', false);
  show('alternatives', false);
  show('done', true);
  $('done-heading').focus();
}

function bookAnother() {
  show('done', false);
  show('choose', true);
  state.bookingKey = null;
  state.grid.refetch().catch(() => {});
  $('title').focus();
}

async function loadStaff() {
  state.staff = await api.get(`/api/v1/staff${query({ locationId: state.location.id })}`);
}

function wire() {
  $('location').addEventListener('change', async () => {
    state.location = state.locations.find((l) => String(l.id) === $('location').value);
    await loadStaff();
    fillPickers();
    state.date = today();
    setupCalendar();
    await showDay();
    fillMonth();
  });
  $('service').addEventListener('change', async () => {
    state.service = state.services.find((s) => String(s.id) === $('service').value);
    fillPickers();
    renderCalendar();
    await showDay();
    fillMonth();
  });
  $('staff').addEventListener('change', async () => {
    state.staffChoice = $('staff').value;
    renderCalendar();
    await showDay();
    fillMonth();
  });
  $('own-zone').addEventListener('change', () => {
    state.ownZone = $('own-zone').checked;
    renderZone();
    state.grid.render();
    heldSummary();
  });
  $('extend').addEventListener('click', async () => {
    try {
      await keeper.extend();
      $('hold-warning').textContent = '';
    } catch (error) {
      showAlert(errorMessage(error, t));
    }
  });
  $('release').addEventListener('click', () => releaseAndChooseAgain());
  $('details-form').addEventListener('submit', submitDetails);
  $('code-form').addEventListener('submit', submitCode);
  $('resend').addEventListener('click', async () => {
    try {
      const email = $('email').value.trim();
      await api.post('/api/v1/auth/otp', { email });
      showAlert('');
      $('code-intro').textContent = t('code.resent', { email });
    } catch (error) {
      showAlert(errorMessage(error, t));
    }
  });
  $('back-to-details').addEventListener('click', () => {
    show('code-step', false);
    $('name').focus();
  });
  $('again').addEventListener('click', bookAnother);
  onLanguageChange(() => {
    document.title = t('booking.pageTitle');
    if (!state.location) return;
    fillPickers();
    renderCalendar();
    renderTimesHeading();
    renderZone();
    if (state.grid) state.grid.render();
    heldSummary();
    keeper.tick();
  });
}

/** User Timing marks of the way to the first slots (bench/PageMeasurements prints them with the requests). */
function mark(name) {
  if (performance.mark) performance.mark(`holdfast:${name}`);
}

async function start() {
  mark('start');
  if (embedded()) reportHeight();
  wire();
  languageSwitcher($('language'));
  // Everything the first slots need, at once: strings, catalogue and every staff member (filtered by location here),
  // all three started by the HTML's preload links; and a preselected link's day, which needs nothing of them.
  const asked = params.get('date');
  const preselected = [params.get('staffId'), params.get('serviceId')].every((id) => /^\d+$/.test(id || ''))
    && /^\d{4}-\d{2}-\d{2}$/.test(asked || '');
  if (preselected) {
    const [staffId, serviceId] = [Number(params.get('staffId')), Number(params.get('serviceId'))];
    keepAnswer(staffId, serviceId, asked, availability(staffId, serviceId, asked));
  }
  const [, locations, services, staff] = await Promise.all([
    useLanguage(startLanguage()), api.get('/api/v1/locations', { preloaded: true }),
    api.get('/api/v1/services', { preloaded: true }), api.get('/api/v1/staff', { preloaded: true }),
  ]);
  mark('catalogue and strings');
  document.title = t('booking.pageTitle');
  state.locations = locations;
  state.services = services;
  state.location = locations.find((l) => String(l.id) === params.get('locationId')) || locations[0];
  state.service = services.find((s) => String(s.id) === params.get('serviceId')) || services[0];
  if (!state.location || !state.service) {
    showAlert(t('error.not_found'));
    return;
  }
  state.staff = staff.filter((s) => s.locationId === state.location.id);
  state.staffChoice = params.get('staffId') || 'any';
  fillPickers();
  state.date = asked && /^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : await firstOpenDay(today());
  setupCalendar();
  mark('calendar');
  await showDay();
  mark('grid');
  fillMonth();
}

start().catch((error) => {
  showAlert(errorMessage(error, t));
  $('times').setAttribute('aria-busy', 'false');
});
