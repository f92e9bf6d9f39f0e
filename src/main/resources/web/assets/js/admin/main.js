// The admin page (/admin): sign-in with the admin token, then the sections as tabs (ARIA tab pattern: arrow keys,
// Home and End move between tabs). Health and today's figures stay on top. Everything live is driven from here:
// server-sent events of the shown day's staff (any slot event refreshes the day and the holds at once) plus short
// polls, so a change shows within a second or two without a reload even where events cannot reach us.

import { applyMessages, languageSwitcher, onLanguageChange, startLanguage, t, useLanguage } from '../i18n.js';
import { errorMessage, request } from '../api.js';
import { admin, catalogue, features, forgetToken, keepToken, onSignedOut, token, tokenWorks } from './session.js';
import { definitions, h, money, percent } from './ui.js';
import { daySection } from './day.js';
import { liveSection } from './live.js';
import { cacheSection } from './cache.js';
import { outboxSection } from './outbox.js';
import { catalogueSection } from './catalogue.js';

const sections = { day: daySection, live: liveSection, cache: cacheSection, outbox: outboxSection, catalogue: catalogueSection };
const timers = [];
let active = 'day';
let health = null;
let today = null;
let streams = [];
let watched = '';
let refreshQueued = null;

const $ = (id) => document.getElementById(id);

let languageReady = Promise.resolve();

async function start() {
  // The form is ours before anything is awaited: a click while the language still loads would otherwise submit it
  // the browser's way, reloading the page with the admin token in its address (the input is named "token").
  $('sign-in-form').addEventListener('submit', signIn);
  languageReady = useLanguage(startLanguage());
  await languageReady;
  languageSwitcher($('language'));
  onLanguageChange(() => {
    applyMessages();
    renderStatus();
    Object.values(sections).forEach((section) => section.render());
  });
  $('sign-out').addEventListener('click', () => signOut());
  onSignedOut(() => signOut(t('admin.signIn.expired')));
  setUpTabs();
  if (token()) await enter();
  else showSignIn();
}

function showSignIn(message = '') {
  $('console').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  $('admin-token').setAttribute('aria-invalid', message ? 'true' : 'false');
}

async function signIn(event) {
  event.preventDefault();
  await languageReady;
  const input = $('admin-token');
  const value = input.value.trim();
  if (!value) {
    showSignIn(t('admin.signIn.empty'));
    input.focus();
    return;
  }
  try {
    if (!(await tokenWorks(value))) {
      showSignIn(t('admin.signIn.wrong'));
      input.focus();
      return;
    }
  } catch (error) {
    showSignIn(errorMessage(error, t));
    return;
  }
  keepToken(value);
  input.value = '';
  await enter();
}

function signOut(message = '') {
  forgetToken();
  timers.splice(0).forEach(clearInterval);
  closeStreams();
  Object.values(sections).forEach((section) => section.stop && section.stop());
  showSignIn(message);
  $('admin-token').focus();
}

async function enter() {
  $('sign-in').hidden = true;
  $('console').hidden = false;
  $('sign-out').hidden = false;
  try {
    await Promise.all([catalogue.load(), features.detect()]);
  } catch (error) {
    if (!token()) return; // the token was refused: already back at sign-in
  }
  const context = { refreshLive, watchDay };
  Object.entries(sections).forEach(([name, section]) => section.mount($(`panel-${name}`), context));
  selectTab(sectionFromHash() || active, false);
  refreshStatus();
  timers.push(setInterval(refreshStatus, 2000));
  timers.push(setInterval(() => sections.live.refresh(), 1000));
  timers.push(setInterval(() => sections.day.refresh(), 5000));
  timers.push(setInterval(() => sections.cache.sample(), 5000));
  timers.push(setInterval(() => active === 'outbox' && sections.outbox.refresh(), 5000));
}

// --- Tabs -----------------------------------------------------------------------------------------------------

function tabs() {
  return [...document.querySelectorAll('[role="tab"]')];
}

function setUpTabs() {
  tabs().forEach((tab) => {
    tab.addEventListener('click', () => selectTab(tab.dataset.section, false));
    tab.addEventListener('keydown', (event) => {
      const list = tabs();
      const index = list.indexOf(tab);
      const moves = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: list.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const next = list[(moves[event.key] + list.length) % list.length];
      selectTab(next.dataset.section, true);
    });
  });
  window.addEventListener('hashchange', () => {
    const section = sectionFromHash();
    if (section && section !== active && token()) selectTab(section, false);
  });
}

function sectionFromHash() {
  const name = location.hash.replace('#', '');
  return sections[name] ? name : null;
}

function selectTab(name, focus) {
  active = name;
  tabs().forEach((tab) => {
    const selected = tab.dataset.section === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    if (selected && focus) tab.focus();
  });
  Object.keys(sections).forEach((section) => {
    $(`panel-${section}`).hidden = section !== name;
  });
  if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
  const section = sections[name];
  if (section.shown) section.shown();
}

// --- Status: health (live) and today's figures -----------------------------------------------------------------

async function refreshStatus() {
  try {
    health = await request('GET', '/api/v1/health');
  } catch (error) {
    health = error.problem && error.problem.status ? error.problem : { status: 'down' };
  }
  try {
    today = await admin('GET', '/api/v1/admin/dashboard/today');
  } catch {
    // the figures stay as they were; health above says what is wrong
  }
  renderStatus();
}

function renderStatus() {
  const list = $('status-list');
  if (!list) return;
  if (!health) {
    list.replaceChildren();
    return;
  }
  const pairs = [
    [t('admin.status.health'), badge(health.status, t(`admin.status.state.${health.status}`))],
    [t('admin.status.database'), health.database || '–'],
    [t('admin.status.redis'), health.redis ? t(`admin.status.redis.${health.redis}`) : '–'],
    [t('admin.status.storageMode'), h('span', { 'data-storage-mode': health.storageMode || '' },
      health.storageMode ? t(`admin.status.mode.${health.storageMode}`) : '–')],
    [t('admin.status.instance'), `${health.instanceId || '–'} · ${health.version || ''}`],
  ];
  list.replaceChildren(...definitions(pairs).childNodes);
  const todayList = $('today-list');
  if (today) {
    todayList.replaceChildren(...definitions([
      [t('admin.today.bookings'), String(today.bookings)],
      [t('admin.today.cancelled'), String(today.cancelled)],
      [t('admin.today.revenue'), money(today.revenueCents)],
      [t('admin.today.utilisation'), percent(today.utilisation)],
    ]).childNodes);
  }
}

function badge(kind, text) {
  return h('span', { class: `badge badge-${kind}`, text });
}

// --- Live: events of the shown day ------------------------------------------------------------------------------

/** Streams the slot events of these staff members on this date; any event refreshes the day and the holds. */
function watchDay(date, staffIds) {
  const key = `${date}|${staffIds.join(',')}`;
  if (key === watched) return;
  closeStreams();
  watched = key;
  // A browser allows a handful of connections per host over HTTP/1.1; beyond a few staff the polls serve instead.
  if (typeof EventSource === 'undefined' || staffIds.length > 4) return;
  streams = staffIds.map((staffId) => {
    const source = new EventSource(`/api/v1/live/stream?staffId=${staffId}&date=${date}`);
    source.addEventListener('slot', () => refreshLive());
    source.addEventListener('mode', () => refreshStatus());
    return source;
  });
}

function closeStreams() {
  streams.forEach((source) => source.close());
  streams = [];
  watched = '';
}

/** Refreshes what slot events change, once per burst of events. */
function refreshLive() {
  if (refreshQueued) return;
  refreshQueued = setTimeout(() => {
    refreshQueued = null;
    sections.day.refresh();
    sections.live.refresh();
  }, 100);
}

start();
