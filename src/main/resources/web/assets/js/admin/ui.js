// Small DOM and formatting helpers of the admin page. Elements are built with h(), never from HTML strings, so
// nothing the server returns (customer names, mail text) can become markup.

import { currentLanguage } from '../i18n.js';

/**
 * An element: attributes by name (`class`, `text`, `on<event>` handlers, booleans for hidden/disabled/checked),
 * children as nodes or strings; null and false children are left out.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') element.textContent = value;
    else if (name === 'class') element.className = value;
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'value') element.value = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A labelled form field: `<div class="field"><label/><control/></div>`; the control gets the id. */
export function field(id, label, control, hint) {
  control.id = id;
  const children = [h('label', { for: id, text: label })];
  if (hint) {
    const hintId = `${id}-hint`;
    children.push(h('div', { class: 'hint', id: hintId, text: hint }));
    control.setAttribute('aria-describedby', hintId);
  }
  children.push(control);
  return h('div', { class: 'field' }, children);
}

/** A definition list from [term, value] pairs. */
export function definitions(pairs, className = '') {
  return h('dl', { class: className }, pairs.map(([term, value]) => h('div', {}, h('dt', { text: term }), h('dd', {}, value))));
}

/** YYYY-MM-DD of an instant in a time zone. */
export function dateIn(zone, instant = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(instant);
}

export function addDays(isoDate, days) {
  const date = new Date(`${isoDate}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** "14:30" of an API instant, in the zone it is shown in. */
export function timeOf(instant, zone) {
  return new Intl.DateTimeFormat(currentLanguage(), { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(instant));
}

export function dateTimeOf(instant, zone) {
  return new Intl.DateTimeFormat(currentLanguage(), {
    timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).format(new Date(instant));
}

export function longDate(isoDate) {
  return new Intl.DateTimeFormat(currentLanguage(), { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    .format(new Date(`${isoDate}T12:00:00Z`));
}

export function money(cents) {
  return new Intl.NumberFormat(currentLanguage(), { style: 'currency', currency: 'EUR' }).format((cents || 0) / 100);
}

export function percent(ratio) {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '–';
  return new Intl.NumberFormat(currentLanguage(), { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

export function number(value, digits = 0) {
  if (value === null || value === undefined) return '–';
  return new Intl.NumberFormat(currentLanguage(), { maximumFractionDigits: digits }).format(value);
}

/** "4:05" for 245 seconds. */
export function countdown(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * The instant with offset (`2026-12-01T09:00:00+01:00`) of a wall-clock time in a zone, as the API wants it. The
 * offset is found by formatting a first guess in the zone and correcting by the difference (twice, for the hour
 * around a daylight-saving change).
 */
export function zonedInstant(isoDate, hhmm, zone) {
  const wall = Date.parse(`${isoDate}T${hhmm}:00Z`);
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - offsetMillis(guess, zone);
  const offset = offsetMillis(guess, zone);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${isoDate}T${hhmm}:00${sign}${hh}:${mm}`;
}

function offsetMillis(instant, zone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** Says something to screen readers once (the page's polite status region). */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (region) region.textContent = text;
}

/**
 * Replaces a container's children, keeping keyboard focus: the element focused before (found again by its
 * `data-key`) is focused after, so a live refresh never throws a keyboard user back to the top of the page.
 */
export function replaceKeepingFocus(container, children) {
  const focused = document.activeElement;
  const key = focused && container.contains(focused) ? focused.dataset.key : null;
  container.replaceChildren(...children);
  if (key) {
    const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) again.focus();
  }
}
