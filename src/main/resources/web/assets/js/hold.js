// A hold of one slot and its visible lease: a countdown (role="timer"), "keep it longer", a warning two minutes
// before it lapses. Moving to another time holds the new one first and only then releases the old one, so the
// customer never ends up with nothing.

import { api, uuid } from './api.js';
import { t } from './i18n.js';
import { countdown, formatTime } from './times.js';

const WARN_MS = 2 * 60 * 1000;

function key() {
  return uuid();
}

export class HoldKeeper {
  /** elements: {timer, warning}; onLapse() when the lease runs out; extra(): more fields for the hold body. */
  constructor({ clientId, timer, warning, onLapse, extra }) {
    this.clientId = clientId;
    this.timer = timer;
    this.warning = warning;
    this.onLapse = onLapse;
    this.extra = extra || (() => ({}));
    this.hold = null; // {holdId, token, expiresAt, items, staffId, serviceId, start}
    this.ticker = null;
    window.addEventListener('pagehide', () => this.releaseOnLeave());
  }

  /** Holds a start; the previous hold (if any) is released only after the new one is granted. */
  async take(staffId, serviceId, start) {
    const previous = this.hold;
    const granted = await api.post('/api/v1/holds', { clientId: this.clientId, staffId, serviceId, start, ...this.extra() },
      { headers: { 'Idempotency-Key': key() } });
    this.hold = { ...granted, staffId, serviceId, start };
    if (previous) await this.releaseHold(previous);
    this.tick();
    clearInterval(this.ticker);
    this.ticker = setInterval(() => this.tick(), 1000);
    return this.hold;
  }

  async extend() {
    if (!this.hold) return null;
    const answer = await api.patch(`/api/v1/holds/${this.hold.holdId}`, undefined,
      { headers: { 'Hold-Token': this.hold.token } });
    this.hold.expiresAt = answer.expiresAt;
    this.warned = false;
    this.tick();
    return answer.expiresAt;
  }

  async release() {
    const previous = this.hold;
    this.stop();
    if (previous) await this.releaseHold(previous);
  }

  /** Forgets the hold without releasing it (it became a booking). */
  stop() {
    this.hold = null;
    clearInterval(this.ticker);
    this.ticker = null;
    this.timer.textContent = '';
    this.warning.textContent = '';
  }

  async releaseHold(hold) {
    try {
      await api.delete(`/api/v1/holds/${hold.holdId}`, { headers: { 'Hold-Token': hold.token } });
    } catch {
      // Already gone (lapsed or released elsewhere): nothing left to give back.
    }
  }

  releaseOnLeave() {
    if (!this.hold) return;
    fetch(`/api/v1/holds/${this.hold.holdId}`, { method: 'DELETE', keepalive: true, headers: { 'Hold-Token': this.hold.token } })
      .catch(() => {});
  }

  /** 'mine' for the slot this hold covers (the grid shows it so before the server's next answer says it too). */
  markOf(staffId, slot) {
    const hold = this.hold;
    return hold && hold.staffId === staffId && new Date(hold.start).getTime() === new Date(slot.start).getTime()
      ? 'mine' : null;
  }

  remaining() {
    return this.hold ? new Date(this.hold.expiresAt).getTime() - Date.now() : 0;
  }

  tick() {
    if (!this.hold) return;
    const left = this.remaining();
    this.timer.textContent = t('hold.timer', { time: countdown(left) });
    this.timer.dataset.expiresAt = this.hold.expiresAt;
    if (left <= 0) {
      clearInterval(this.ticker);
      this.warning.textContent = t('hold.lapsed');
      if (this.onLapse) this.onLapse();
    } else if (left <= WARN_MS) {
      if (!this.warned) {
        this.warned = true;
        this.warning.textContent = t('hold.warning');
      }
    } else if (this.warned || this.warning.textContent) {
      this.warned = false;
      this.warning.textContent = '';
    }
  }

  expiresLabel(zone) {
    return this.hold ? formatTime(new Date(this.hold.expiresAt), zone) : '';
  }
}
