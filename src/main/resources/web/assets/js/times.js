// Dates and times as a person reads them: in the location's time zone by default, or in the viewer's own zone
// (the browser's), always through Intl so that daylight-saving days come out right.

import { currentLanguage } from './i18n.js';

const formatters = new Map();

/**
 * An Intl.DateTimeFormat, made once per language and options: making one costs far more than formatting with it,
 * and the grid formats two or three instants per slot on every render.
 */
function dateFormat(locale, options) {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

export function viewerZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The instant of a slot: the API's `start` (an ISO instant with offset). */
export function instant(iso) {
  return new Date(iso);
}

export function formatTime(date, zone) {
  return dateFormat(currentLanguage(), { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

export function formatDay(date, zone) {
  return dateFormat(currentLanguage(), {
    timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
  }).format(date);
}

export function formatShortDay(date, zone) {
  return dateFormat(currentLanguage(), { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short' })
    .format(date);
}

/** A zone's name as people read it, e.g. "Central European Standard Time" or "Mitteleuropäische Normalzeit". */
export function zoneName(zone, date = new Date()) {
  const part = dateFormat(currentLanguage(), { timeZone: zone, timeZoneName: 'long' })
    .formatToParts(date).find((p) => p.type === 'timeZoneName');
  return part ? `${zone.replace(/_/g, ' ')} – ${part.value}` : zone;
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function dateIn(date, zone) {
  const parts = dateFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(date);
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A YYYY-MM-DD date at noon UTC: a Date that names that day in any zone's calendar arithmetic. */
export function dayDate(ymd) {
  return new Date(`${ymd}T12:00:00Z`);
}

export function addDays(ymd, days) {
  const date = dayDate(ymd);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** A day label of a YYYY-MM-DD date, independent of any zone. */
export function formatDate(ymd) {
  return dateFormat(currentLanguage(), {
    timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
  }).format(dayDate(ymd));
}

/** mm:ss of a remaining duration in milliseconds (never negative). */
export function countdown(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return `${minutes}:${seconds}`;
}

export function money(cents, currency = 'EUR') {
  return new Intl.NumberFormat(currentLanguage(), { style: 'currency', currency }).format(cents / 100);
}
