// The manage page (/manage/{bookingId}#token=…): the booking, its cancel cut-off explained up front, cancel, and
// reschedule on the same live grid as the booking page, holding the new time before the old one is given up.
// The token lives in the fragment, which the browser never sends anywhere; requests carry it as Manage-Token.

import { api, errorMessage, clientId as ownClientId } from './api.js';
import { t, startLanguage, useLanguage, languageSwitcher, onLanguageChange } from './i18n.js';
import { LiveGrid, holdable } from './live-grid.js';
import { HoldKeeper } from './hold.js';
import { dateIn, formatDay, formatTime, formatDate } from './times.js';

const $ = (id) => document.getElementById(id);
const clientId = ownClientId();
const bookingId = decodeURIComponent(location.pathname.split('/').pop());
const token = new URLSearchParams(location.hash.slice(1)).get('token');
const action = new URLSearchParams(location.search).get('action');
const headers = { 'Manage-Token': token || '' };

const state = { booking: null, location: null, service: null, staff: null, grid: null, date: null };

const keeper = new HoldKeeper({
  clientId, timer: $('hold-timer'), warning: $('hold-warning'),
  extra: () => ({ rescheduling: { bookingId, manageToken: token } }),
  onLapse: () => { if (state.grid) state.grid.refetch().catch(() => {}); },
});

function showAlert(message) {
  $('alert').textContent = message || '';
}

function status(message) {
  $('status-line').textContent = message || '';
}

function zone() {
  return state.location.timeZone;
}

function cutoff() {
  return new Date(new Date(state.booking.start).getTime() - state.location.cancelCutoffMinutes * 60000);
}

function render() {
  const b = state.booking;
  const start = new Date(b.start);
  const end = new Date(b.end);
  $('booking-heading').textContent = state.service.name;
  $('f-status').textContent = t(`manage.status.${b.status}`);
  $('f-when').textContent = t('confirm.when', {
    date: formatDay(start, zone()), start: formatTime(start, zone()), end: formatTime(end, zone()),
    zone: zone().replace(/_/g, ' '),
  });
  $('f-staff').textContent = state.staff.name;
  $('f-where').textContent = state.location.name;
  $('f-customer').textContent = b.customer ? `${b.customer.name} (${b.customer.email})` : '';
  const open = b.status === 'confirmed' && new Date() < cutoff();
  const minutes = state.location.cancelCutoffMinutes;
  $('cutoff').textContent = b.status !== 'confirmed' ? ''
    : open ? t('manage.cutoff', { time: `${formatDay(cutoff(), zone())} ${formatTime(cutoff(), zone())}`, zone: zone().replace(/_/g, ' '), minutes })
      : t('manage.cutoffPassed', { minutes });
  $('manage-actions').hidden = !open;
  if (!open) {
    $('cancel-ask').hidden = true;
    $('move').hidden = true;
  }
  $('booking').hidden = false;
}

async function load() {
  const [booking, locations, services, staff] = await Promise.all([
    api.get(`/api/v1/bookings/${encodeURIComponent(bookingId)}`, { headers }),
    api.get('/api/v1/locations'), api.get('/api/v1/services'), api.get('/api/v1/staff'),
  ]);
  state.booking = booking;
  state.service = services.find((s) => s.id === booking.serviceId);
  state.staff = staff.find((s) => s.id === booking.staffId);
  state.location = locations.find((l) => l.id === state.staff.locationId);
  render();
}

function askCancel() {
  showAlert('');
  $('cancel-ask').hidden = false;
  $('cancel-yes').focus();
}

async function cancel() {
  $('cancel-yes').disabled = true;
  try {
    await api.delete(`/api/v1/bookings/${encodeURIComponent(bookingId)}`, { headers });
    state.booking = { ...state.booking, status: 'cancelled' };
    $('cancel-ask').hidden = true;
    await keeper.release();
    closeMove();
    render();
    status(t('manage.cancelled'));
    $('title').focus();
  } catch (error) {
    showAlert(errorMessage(error, t));
  } finally {
    $('cancel-yes').disabled = false;
  }
}

function renderTimesHeading() {
  $('times-heading').textContent = t('booking.times.heading', { date: formatDate(state.date) });
  $('zone-label').textContent = t('booking.times.zone', { zone: zone().replace(/_/g, ' ') });
}

async function showDay() {
  if (state.grid) state.grid.close();
  renderTimesHeading();
  $('times').setAttribute('aria-busy', 'true');
  $('times-status').textContent = t('booking.times.loading');
  const grid = new LiveGrid($('slots'), {
    staffIds: [state.booking.staffId], serviceId: state.booking.serviceId, date: state.date, clientId,
    zone, locationZone: zone(), mark: (staffId, slot) => keeper.markOf(staffId, slot), onChoose: (slot) => choose(slot),
    onRender: (slots) => {
      $('times-status').textContent = slots.some((s) => holdable(s.state) || s.state === 'mine') ? '' : t('booking.times.none');
    },
  });
  state.grid = grid;
  try {
    await grid.start();
  } catch (error) {
    showAlert(errorMessage(error, t));
  } finally {
    $('times').setAttribute('aria-busy', 'false');
  }
}

function openMove() {
  showAlert('');
  status('');
  $('move').hidden = false;
  state.date = state.date || dateIn(new Date(state.booking.start), zone());
  $('move-date').value = state.date;
  $('move-date').min = dateIn(new Date(), zone());
  $('move-heading').focus();
  showDay();
}

function closeMove() {
  if (state.grid) state.grid.close();
  state.grid = null;
  $('move').hidden = true;
  $('move-held').hidden = true;
}

async function choose(slot) {
  showAlert('');
  if (!holdable(slot.state) && slot.state !== 'mine') return;
  if (slot.state === 'mine') {
    $('move-confirm').focus();
    return;
  }
  try {
    await keeper.take(slot.staffId, state.booking.serviceId, slot.start);
    state.grid.changed();
    const start = new Date(slot.start);
    $('move-confirm').textContent = t('manage.rescheduleConfirm', { time: `${formatDay(start, zone())} ${formatTime(start, zone())}` });
    $('move-held').hidden = false;
    $('move-confirm').focus();
  } catch (error) {
    showAlert(errorMessage(error, t));
    state.grid.refetch().catch(() => {});
  }
}

async function confirmMove() {
  const hold = keeper.hold;
  if (!hold) return;
  $('move-confirm').disabled = true;
  try {
    const moved = await api.post(`/api/v1/bookings/${encodeURIComponent(bookingId)}/reschedule`,
      { holdId: hold.holdId, holdToken: hold.token }, { headers });
    keeper.stop();
    state.booking = { ...state.booking, ...moved };
    closeMove();
    render();
    const start = new Date(moved.start);
    status(t('manage.rescheduled', { date: formatDay(start, zone()), time: formatTime(start, zone()) }));
    $('title').focus();
  } catch (error) {
    showAlert(errorMessage(error, t));
    if (error.code === 'slot_booked' || error.code === 'hold_expired') {
      keeper.stop();
      $('move-held').hidden = true;
      state.grid.refetch().catch(() => {});
    }
  } finally {
    $('move-confirm').disabled = false;
  }
}

function wire() {
  $('cancel').addEventListener('click', askCancel);
  $('cancel-no').addEventListener('click', () => { $('cancel-ask').hidden = true; $('cancel').focus(); });
  $('cancel-yes').addEventListener('click', cancel);
  $('reschedule').addEventListener('click', openMove);
  $('move-date').addEventListener('change', () => {
    if (/^\d{4}-\d{2}-\d{2}$/.test($('move-date').value)) {
      state.date = $('move-date').value;
      showDay();
    }
  });
  $('move-confirm').addEventListener('click', confirmMove);
  $('move-cancel').addEventListener('click', async () => {
    await keeper.release();
    closeMove();
    $('reschedule').focus();
  });
  onLanguageChange(() => {
    document.title = t('manage.pageTitle');
    if (state.booking) render();
    if (state.grid) { renderTimesHeading(); state.grid.render(); }
  });
}

async function start() {
  wire();
  languageSwitcher($('language'));
  await useLanguage(startLanguage());
  document.title = t('manage.pageTitle');
  const main = $('main');
  try {
    if (!token) {
      showAlert(t('manage.noToken'));
      return;
    }
    await load();
    if (action === 'cancel' && !$('manage-actions').hidden) askCancel();
    if (action === 'reschedule' && !$('manage-actions').hidden) openMove();
  } catch (error) {
    showAlert(errorMessage(error, t));
  } finally {
    $('loading').hidden = true;
    main.setAttribute('aria-busy', 'false');
  }
}

start();
