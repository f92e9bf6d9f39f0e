// The live slot grid: one day of one or more staff members, kept current from the event stream
// (/api/v1/live/stream), with the poll (/api/v1/live/poll) as a silent fallback while the stream is down and a
// refetch whenever a version gap shows a missed event. Every slot is a <button data-start data-state>; its state is
// written as text too, never by colour alone. Focusing or hovering a slot tells others (a selection), renewed while
// it stays, cleared when it leaves.

import { api, query } from './api.js';
import { t } from './i18n.js';
import { formatTime, dateIn, formatShortDay } from './times.js';

const SELECTION_RENEW_MS = 5000;
const SELECTION_SETTLE_MS = 120;
const POLL_MS = 1500;
const REFETCH_DEBOUNCE_MS = 60;
// Order of "how available" a start is when several staff are merged ("any available").
const RANK = { mine: 0, free: 1, selected: 2, held: 3, booked: 4 };

/** One staff member's day: availability plus its live feed. */
class StaffDay {
  constructor(grid, staffId) {
    this.grid = grid;
    this.staffId = staffId;
    this.version = null;
    this.slots = new Map(); // start -> {time, start, state}
    this.source = null;
    this.pollTimer = null;
    this.refetchTimer = null;
    this.closed = false;
  }

  /** Fetches the day; `answer`, when given, is a fetch of it the page already started (the first load only). */
  async load(answer = null) {
    const g = this.grid;
    const data = await (answer || api.get(`/api/v1/availability${query({
      staffId: this.staffId, serviceId: g.serviceId, date: g.date, clientId: g.clientId,
    })}`));
    if (this.closed) return;
    this.version = data.version;
    this.timeZone = data.timeZone;
    this.slots = new Map(data.slots.map((slot) => [slot.start, { ...slot }]));
    g.changed();
  }

  listen() {
    if (typeof EventSource === 'undefined') {
      this.startPolling();
      return;
    }
    const source = new EventSource(`/api/v1/live/stream${query({ staffId: this.staffId, date: this.grid.date })}`);
    this.source = source;
    source.addEventListener('open', () => {
      // Back on the stream: whatever happened while it was down is fetched once, and the poll stops.
      if (this.pollTimer) {
        this.stopPolling();
        this.refetchSoon();
      }
    });
    source.addEventListener('error', () => {
      if (!this.closed) this.startPolling();
    });
    source.addEventListener('slot', (event) => this.onEvent(JSON.parse(event.data)));
    source.addEventListener('mode', () => this.refetchSoon());
  }

  onEvent(event) {
    const gap = this.version !== null && event.previousVersion !== undefined && event.previousVersion !== this.version;
    const starts = event.starts || null;
    if (!gap && (event.type === 'selected' || event.type === 'unselected')) {
      // A selection marks exactly the starts named; nothing else changes.
      this.version = event.version;
      const names = starts || event.times;
      for (const slot of this.slots.values()) {
        if (!names.includes(starts ? slot.start : slot.time)) continue;
        if (event.type === 'selected' && slot.state === 'free' && !this.grid.isOwnSelection(this.staffId, slot)) {
          slot.state = 'selected';
        } else if (event.type === 'unselected' && slot.state === 'selected') {
          slot.state = 'free';
        }
      }
      this.grid.changed();
      return;
    }
    // Holds, bookings and schedule changes cover more starts than they name (a service's length and buffers):
    // the server says exactly which, so the day is fetched again. So is any day whose version jumped.
    this.refetchSoon();
  }

  refetchSoon() {
    clearTimeout(this.refetchTimer);
    this.refetchTimer = setTimeout(() => this.load().catch(() => this.startPolling()), REFETCH_DEBOUNCE_MS);
  }

  startPolling() {
    if (this.pollTimer || this.closed) return;
    this.pollTimer = setInterval(() => this.poll(), POLL_MS);
  }

  stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  async poll() {
    try {
      const g = this.grid;
      const answer = await api.get(`/api/v1/live/poll${query({
        staffId: this.staffId, date: g.date, clientId: g.clientId, since: this.version,
      })}`);
      if (answer.changed) await this.load();
    } catch {
      // The poll is the fallback: it keeps trying quietly; the customer hears nothing of it.
    }
  }

  close() {
    this.closed = true;
    if (this.source) this.source.close();
    this.stopPolling();
    clearTimeout(this.refetchTimer);
  }
}

/**
 * A live grid rendered into `container`. Options: staffIds (one, or several for "any available"), serviceId, date,
 * clientId, zone() (the zone to show times in), locationZone, staffName(id), onChoose(slot), mark(slot) (extra
 * state, e.g. 'mine' for the slot this page holds), onRender(), firstAnswer(staffId) (an availability fetch already
 * under way for the first load, or null).
 */
export class LiveGrid {
  constructor(container, options) {
    this.container = container;
    Object.assign(this, options);
    this.days = this.staffIds.map((id) => new StaffDay(this, id));
    this.selection = null; // {staffId, slot, timer}
    this.settleTimer = null;
    this.hoverTarget = null;
    this.buttons = new Map();
    this.renderScheduled = false;
    this.loaded = false;
    container.addEventListener('focusin', (e) => this.pointAt(e.target.closest('button[data-start]')));
    container.addEventListener('focusout', (e) => {
      const next = e.relatedTarget && e.relatedTarget.closest && e.relatedTarget.closest('button[data-start]');
      if (!next || !container.contains(next)) this.pointAt(this.hoverTarget);
    });
    container.addEventListener('mouseover', (e) => {
      const button = e.target.closest('button[data-start]');
      if (button) {
        this.hoverTarget = button;
        this.pointAt(button);
      }
    });
    container.addEventListener('mouseleave', () => {
      this.hoverTarget = null;
      this.pointAt(container.contains(document.activeElement) ? document.activeElement.closest('button[data-start]') : null);
    });
    container.addEventListener('keydown', (e) => this.arrowKeys(e));
  }

  async start() {
    await Promise.all(this.days.map((day) => day.load(this.firstAnswer ? this.firstAnswer(day.staffId) : null)));
    this.loaded = true;
    this.days.forEach((day) => day.listen());
    this.render();
  }

  close() {
    this.days.forEach((day) => day.close());
    this.clearSelection();
  }

  refetch() {
    return Promise.all(this.days.map((day) => day.load()));
  }

  changed() {
    if (this.renderScheduled) return;
    this.renderScheduled = true;
    requestAnimationFrame(() => {
      this.renderScheduled = false;
      this.render();
    });
  }

  /** The merged slots: per start, the most available state over the staff, and which staff gives it. */
  slots() {
    const merged = new Map();
    for (const day of this.days) {
      for (const slot of day.slots.values()) {
        let state = slot.state;
        const own = this.mark ? this.mark(day.staffId, slot) : null;
        if (own) state = own;
        const current = merged.get(slot.start);
        if (!current || RANK[state] < RANK[current.state]) {
          merged.set(slot.start, { time: slot.time, start: slot.start, state, staffId: day.staffId });
        }
      }
    }
    return [...merged.values()].sort((a, b) => new Date(a.start) - new Date(b.start));
  }

  render() {
    if (!this.loaded) return;
    const slots = this.slots();
    const zone = this.zone();
    const seen = new Set();
    const focusedStart = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.start : null;
    const fragment = [];
    for (const slot of slots) {
      seen.add(slot.start);
      let button = this.buttons.get(slot.start);
      if (!button) {
        button = document.createElement('button');
        button.type = 'button';
        button.className = 'slot';
        button.dataset.start = slot.start;
        button.innerHTML = '<span class="slot-time"></span> <span class="slot-state"></span>';
        button.addEventListener('click', () => this.choose(button));
        this.buttons.set(slot.start, button);
      }
      const date = new Date(slot.start);
      let label = formatTime(date, zone);
      if (dateIn(date, zone) !== dateIn(date, this.locationZone)) label += ` (${formatShortDay(date, zone)})`;
      const taken = slot.state === 'held' || slot.state === 'booked';
      button.dataset.state = slot.state;
      button.dataset.staffId = String(slot.staffId);
      button.disabled = taken;
      button.setAttribute('aria-pressed', String(slot.state === 'mine'));
      button.querySelector('.slot-time').textContent = label;
      button.querySelector('.slot-state').textContent = t(`state.${slot.state}`);
      fragment.push(button);
    }
    for (const [start, button] of this.buttons) {
      if (!seen.has(start)) {
        button.remove();
        this.buttons.delete(start);
      }
    }
    // Re-append in order only when the order changed, so focus and hover stay where they are.
    const current = [...this.container.children];
    if (current.length !== fragment.length || current.some((child, i) => child !== fragment[i])) {
      this.container.replaceChildren(...fragment);
      if (focusedStart && this.buttons.get(focusedStart)) this.buttons.get(focusedStart).focus();
    }
    this.updateRoving();
    if (this.onRender) this.onRender(slots);
  }

  /** One tab stop for the grid: the chosen or first enabled slot; arrow keys move between slots. */
  updateRoving() {
    const buttons = [...this.container.querySelectorAll('button[data-start]')];
    const enabled = buttons.filter((b) => !b.disabled);
    const active = enabled.find((b) => b === document.activeElement)
      || enabled.find((b) => b.dataset.state === 'mine') || enabled[0];
    buttons.forEach((b) => { b.tabIndex = b === active ? 0 : -1; });
  }

  arrowKeys(event) {
    const keys = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -Infinity, End: Infinity };
    if (!(event.key in keys)) return;
    const enabled = [...this.container.querySelectorAll('button[data-start]')].filter((b) => !b.disabled);
    const index = enabled.indexOf(document.activeElement);
    if (index < 0) return;
    event.preventDefault();
    let step = keys[event.key];
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const columns = Math.max(1, Math.round(this.container.clientWidth / enabled[0].offsetWidth));
      step *= columns;
    }
    const next = step === -Infinity ? 0 : step === Infinity ? enabled.length - 1
      : Math.min(enabled.length - 1, Math.max(0, index + step));
    enabled.forEach((b) => { b.tabIndex = -1; });
    enabled[next].tabIndex = 0;
    enabled[next].focus();
  }

  slotFor(button) {
    return this.slots().find((slot) => slot.start === button.dataset.start);
  }

  choose(button) {
    const slot = this.slotFor(button);
    if (slot && this.onChoose) this.onChoose(slot);
  }

  isOwnSelection(staffId, slot) {
    return this.selection && this.selection.staffId === staffId && this.selection.time === slot.time;
  }

  /** Points at a slot (focus or hover): after a moment, others see it as "someone is looking". */
  pointAt(button) {
    clearTimeout(this.settleTimer);
    const slot = button && !button.disabled ? this.slotFor(button) : null;
    if (!slot || slot.state === 'mine') {
      this.clearSelection();
      return;
    }
    if (this.selection && this.selection.start === slot.start) return;
    this.settleTimer = setTimeout(() => this.select(slot), SELECTION_SETTLE_MS);
  }

  select(slot) {
    this.clearSelection();
    const body = { staffId: slot.staffId, date: this.date, time: slot.time, clientId: this.clientId };
    const send = () => api.put('/api/v1/selections', body).catch(() => {});
    this.selection = { staffId: slot.staffId, start: slot.start, time: slot.time, timer: setInterval(send, SELECTION_RENEW_MS) };
    send();
  }

  clearSelection() {
    clearTimeout(this.settleTimer);
    if (!this.selection) return;
    clearInterval(this.selection.timer);
    const { staffId } = this.selection;
    this.selection = null;
    api.delete(`/api/v1/selections${query({ staffId, date: this.date, clientId: this.clientId })}`).catch(() => {});
  }

  /** The free starts nearest to an instant, nearest first (the alternatives after a lost slot). */
  nearestFree(start, count = 4) {
    const at = new Date(start).getTime();
    return this.slots()
      .filter((slot) => (slot.state === 'free' || slot.state === 'selected') && slot.start !== start)
      .sort((a, b) => Math.abs(new Date(a.start) - at) - Math.abs(new Date(b.start) - at))
      .slice(0, count);
  }

  /** The staff that gives a start its best state (for "any available"). */
  staffForStart(start) {
    const slot = this.slots().find((s) => s.start === start);
    return slot ? slot.staffId : null;
  }
}

/** Whether a state can be held. */
export function holdable(state) {
  return state === 'free' || state === 'selected';
}

export function stateLabel(state) {
  return t(`state.${state}`);
}
