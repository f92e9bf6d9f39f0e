// A month calendar of buttons: days without free time are disabled and say so ("no free times"); arrow keys move
// by day and week, Enter or Space picks. Dates are YYYY-MM-DD days of the location, free of any time zone.

import { t, currentLanguage } from './i18n.js';
import { addDays, dayDate } from './times.js';

export class MonthCalendar {
  /** options: {min, max (YYYY-MM-DD), selected, availability(ymd) -> true|false|undefined, onPick(ymd)} */
  constructor(container, options) {
    this.container = container;
    Object.assign(this, options);
    this.month = (this.selected || this.min).slice(0, 7);
    container.addEventListener('keydown', (e) => this.keys(e));
  }

  render(focusDay) {
    const lang = currentLanguage();
    const first = `${this.month}-01`;
    const monthName = new Intl.DateTimeFormat(lang, { timeZone: 'UTC', month: 'long', year: 'numeric' })
      .format(dayDate(first));
    const weekday = new Intl.DateTimeFormat(lang, { timeZone: 'UTC', weekday: 'short' });
    const longDay = new Intl.DateTimeFormat(lang, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' });
    const offset = (dayDate(first).getUTCDay() + 6) % 7; // Monday first
    const head = document.createElement('div');
    head.className = 'calendar-head';
    const prev = this.navButton('booking.calendar.previous', '‹', -1);
    const next = this.navButton('booking.calendar.next', '›', 1);
    const title = document.createElement('h3');
    title.className = 'calendar-title';
    title.id = 'calendar-title';
    title.textContent = monthName;
    head.append(prev, title, next);

    const table = document.createElement('table');
    table.className = 'calendar-grid';
    table.setAttribute('aria-labelledby', 'calendar-title');
    const headRow = document.createElement('tr');
    for (let i = 0; i < 7; i += 1) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = weekday.format(dayDate(addDays('2024-01-01', i))); // 2024-01-01 was a Monday
      headRow.append(th);
    }
    const thead = document.createElement('thead');
    thead.append(headRow);
    const tbody = document.createElement('tbody');
    let row = document.createElement('tr');
    for (let i = 0; i < offset; i += 1) row.append(document.createElement('td'));
    let day = first;
    while (day.startsWith(this.month)) {
      const cell = document.createElement('td');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'day';
      button.dataset.date = day;
      button.textContent = String(Number(day.slice(8)));
      const inRange = day >= this.min && day <= this.max;
      const free = inRange ? this.availability(day) : false;
      const selected = day === this.selected;
      let note = free === false ? t('booking.calendar.noFree') : free === true ? t('booking.calendar.free') : '';
      if (selected) note = [t('booking.calendar.selected'), note].filter(Boolean).join(', ');
      button.setAttribute('aria-label', `${longDay.format(dayDate(day))}${note ? `, ${note}` : ''}`);
      if (free === false) button.setAttribute('aria-disabled', 'true');
      if (!inRange) button.disabled = true;
      if (selected) button.setAttribute('aria-current', 'date');
      button.tabIndex = -1;
      button.addEventListener('click', () => {
        if (button.getAttribute('aria-disabled') === 'true' || button.disabled) return;
        this.pick(day);
      });
      cell.append(button);
      row.append(cell);
      if (row.children.length === 7) {
        tbody.append(row);
        row = document.createElement('tr');
      }
      day = addDays(day, 1);
    }
    if (row.children.length) {
      while (row.children.length < 7) row.append(document.createElement('td'));
      tbody.append(row);
    }
    table.append(thead, tbody);
    this.container.replaceChildren(head, table);
    const target = this.container.querySelector(`button[data-date="${focusDay || this.selected}"]`)
      || this.container.querySelector('button.day:not([disabled])');
    if (target) {
      target.tabIndex = 0;
      if (focusDay) target.focus();
    }
  }

  navButton(key, symbol, step) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn calendar-nav';
    button.setAttribute('aria-label', t(key));
    button.textContent = symbol;
    const target = this.shiftMonth(step);
    const reachable = step < 0 ? target >= this.min.slice(0, 7) : target <= this.max.slice(0, 7);
    button.disabled = !reachable;
    button.addEventListener('click', () => {
      this.month = target;
      this.render();
      if (this.onMonth) this.onMonth(this.month);
    });
    return button;
  }

  shiftMonth(step) {
    const date = dayDate(`${this.month}-01`);
    date.setUTCMonth(date.getUTCMonth() + step);
    return date.toISOString().slice(0, 7);
  }

  pick(day) {
    this.selected = day;
    this.render(day);
    if (this.onPick) this.onPick(day);
  }

  keys(event) {
    const button = event.target.closest('button.day');
    if (!button) return;
    const steps = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    if (!(event.key in steps)) return;
    event.preventDefault();
    const day = addDays(button.dataset.date, steps[event.key]);
    if (day < this.min || day > this.max) return;
    if (!day.startsWith(this.month)) {
      this.month = day.slice(0, 7);
      this.render(day);
      if (this.onMonth) this.onMonth(this.month);
    } else {
      this.render(day);
    }
  }
}
