// Cache statistics and health, a hit-rate chart over time, latency percentiles and clearing by pattern. The
// server reports counters since its start; the page samples them every few seconds while it is open and charts
// the hit rate of each interval (hits over lookups between two samples), against the seeds' 80 % target.

import { t } from '../i18n.js';
import { errorMessage } from '../api.js';
import { admin } from './session.js';
import { announce, definitions, field, h, number, percent } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const MAX_SAMPLES = 60;
const TARGET = 0.8;
const state = { stats: null, health: null, performance: null, samples: [], error: '', cleared: null, clearError: '' };
let panel = null;

export const cacheSection = {
  mount(element) {
    panel = element;
    this.render();
    this.sample();
  },

  render() {
    if (!panel) return;
    const pattern = h('input', { type: 'text', name: 'pattern', required: true, spellcheck: 'false', autocomplete: 'off',
      value: state.pattern || '' });
    panel.replaceChildren(
      h('h2', { text: t('admin.cache.heading') }),
      h('div', { class: 'alert', role: 'alert', id: 'cache-error', text: state.error }),
      h('div', { id: 'cache-summary' }),
      h('section', { 'aria-labelledby': 'cache-chart-heading', class: 'card' },
        h('h3', { id: 'cache-chart-heading', text: t('admin.cache.chart') }),
        h('p', { class: 'hint', text: t('admin.cache.chartHint') }),
        h('div', { id: 'cache-chart', class: 'chart' })),
      h('section', { 'aria-labelledby': 'cache-table-heading' },
        h('h3', { id: 'cache-table-heading', text: t('admin.cache.perCache') }),
        h('div', { id: 'cache-table' })),
      h('details', { class: 'card', id: 'cache-performance', ontoggle: (event) => event.target.open && loadPerformance() },
        h('summary', { text: t('admin.cache.performance') }),
        h('div', { id: 'cache-performance-body' })),
      h('form', { class: 'card', id: 'cache-clear', novalidate: true, onsubmit: (event) => clear(event, pattern) },
        h('h3', { text: t('admin.cache.clear') }),
        field('cache-pattern', t('admin.cache.pattern'), pattern, t('admin.cache.patternHint')),
        h('div', { class: 'field-error', id: 'cache-clear-error', role: 'alert', text: state.clearError }),
        h('button', { type: 'submit', class: 'btn btn-danger', text: t('admin.cache.clearSubmit') }),
        h('p', { id: 'cache-cleared', role: 'status', text: clearedText() })));
    draw();
  },

  async sample() {
    try {
      const [stats, health] = await Promise.all([admin('GET', '/api/v1/admin/cache/stats'), admin('GET', '/api/v1/admin/cache/health')]);
      const previous = state.samples[state.samples.length - 1];
      const lookups = stats.lookups;
      const hits = stats.lookups - stats.loads;
      let rate = null;
      if (previous && lookups > previous.lookups) rate = (hits - previous.hits) / (lookups - previous.lookups);
      else if (!previous && lookups > 0) rate = stats.hitRate;
      state.samples.push({ at: Date.now(), lookups, hits, rate, overall: stats.hitRate });
      if (state.samples.length > MAX_SAMPLES) state.samples.shift();
      state.stats = stats;
      state.health = health;
      state.error = '';
    } catch (error) {
      state.error = errorMessage(error, t);
    }
    draw();
  },
};

function draw() {
  if (!panel) return;
  const alert = document.getElementById('cache-error');
  if (alert) alert.textContent = state.error;
  drawSummary();
  drawChart();
  drawTable();
}

function drawSummary() {
  const box = document.getElementById('cache-summary');
  if (!box || !state.stats) return;
  const health = state.health || {};
  const recommendations = health.recommendations || [];
  box.replaceChildren(
    definitions([
      [t('admin.cache.status'), h('span', { class: `badge badge-${health.status || 'ok'}`, text: health.status || '–' })],
      [t('admin.cache.hitRate'), percent(state.stats.hitRate)],
      [t('admin.cache.lookups'), number(state.stats.lookups)],
      [t('admin.cache.loads'), number(state.stats.loads)],
      [t('admin.cache.redis'), state.stats.redis && state.stats.redis.inUse ? t('admin.cache.redisInUse') : t('admin.cache.redisNotInUse')],
    ], 'status-list'),
    recommendations.length
      ? h('ul', { class: 'alert alert-warn recommendations' }, recommendations.map((text) => h('li', { text })))
      : h('p', { class: 'hint', text: t('admin.cache.noRecommendations') }));
}

function drawChart() {
  const box = document.getElementById('cache-chart');
  if (!box) return;
  const points = state.samples.filter((sample) => sample.rate !== null);
  // Drawn at the box's own width, so the labels keep their size from a phone to a desktop.
  const width = Math.max(260, Math.round(box.clientWidth || 600));
  const height = 200;
  const pad = 40;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'chart-svg');
  const last = points[points.length - 1];
  svg.setAttribute('aria-label', last
    ? t('admin.cache.chartLabel', { rate: percent(last.rate), count: points.length })
    : t('admin.cache.chartEmpty'));
  const y = (rate) => pad / 2 + (1 - rate) * (height - pad);
  for (const level of [0, 0.5, 1]) {
    svg.append(line(pad, y(level), width - 4, y(level), 'chart-grid'));
    svg.append(text(0, y(level) + 4, percent(level), 'chart-axis'));
  }
  svg.append(line(pad, y(TARGET), width - 4, y(TARGET), 'chart-target'));
  svg.append(text(pad + 4, y(TARGET) - 6, t('admin.cache.target', { rate: percent(TARGET) }), 'chart-axis'));
  if (points.length) {
    const step = (width - pad - 8) / Math.max(1, MAX_SAMPLES - 1);
    const offset = MAX_SAMPLES - points.length;
    const coordinates = points.map((sample, index) => `${(pad + (offset + index) * step).toFixed(1)},${y(sample.rate).toFixed(1)}`);
    const polyline = document.createElementNS(SVG, 'polyline');
    polyline.setAttribute('points', coordinates.join(' '));
    polyline.setAttribute('class', 'chart-line');
    svg.append(polyline);
    const [cx, cy] = coordinates[coordinates.length - 1].split(',');
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', cx);
    dot.setAttribute('cy', cy);
    dot.setAttribute('r', '4');
    dot.setAttribute('class', 'chart-dot');
    svg.append(dot);
  }
  box.replaceChildren(svg);
  box.dataset.samples = String(points.length);
}

function line(x1, y1, x2, y2, className) {
  const element = document.createElementNS(SVG, 'line');
  Object.entries({ x1, y1, x2, y2 }).forEach(([name, value]) => element.setAttribute(name, String(value)));
  element.setAttribute('class', className);
  return element;
}

function text(x, yPosition, content, className) {
  const element = document.createElementNS(SVG, 'text');
  element.setAttribute('x', String(x));
  element.setAttribute('y', String(yPosition));
  element.setAttribute('class', className);
  element.textContent = content;
  return element;
}

function drawTable() {
  const box = document.getElementById('cache-table');
  if (!box || !state.stats) return;
  const headers = [t('admin.cache.name'), t('admin.cache.lookups'), t('admin.cache.hitRate'), t('admin.cache.localSize'),
    t('admin.cache.evictions'), t('admin.cache.redisHits'), t('admin.cache.loadTime')];
  box.replaceChildren(h('table', { class: 'stack-table' },
    h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col', text: header })))),
    h('tbody', {}, state.stats.caches.map((cache) => h('tr', {},
      cells(headers, [cache.name, number(cache.lookups), percent(cache.hitRate), number(cache.local.size),
        number(cache.local.evictions), `${number(cache.redis.hits)} / ${number(cache.redis.misses)}`,
        `${number(cache.loadTimeMeanMillis, 1)} ms`]))))));
}

function cells(headers, values) {
  return values.map((value, index) => (index === 0
    ? h('th', { scope: 'row', 'data-label': headers[index], text: value })
    : h('td', { 'data-label': headers[index], text: value })));
}

async function loadPerformance() {
  const body = document.getElementById('cache-performance-body');
  try {
    const performance = await admin('GET', '/api/v1/admin/cache/performance');
    const headers = [t('admin.cache.operation'), t('admin.cache.count'), 'p50', 'p95', 'p99'];
    body.replaceChildren(h('table', { class: 'stack-table' },
      h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col', text: header })))),
      h('tbody', {}, performance.operations.filter((operation) => operation.count > 0).map((operation) => h('tr', {},
        cells(headers, [`${operation.cache} · ${operation.operation}`, number(operation.count),
          `${number(operation.p50Millis, 2)} ms`, `${number(operation.p95Millis, 2)} ms`, `${number(operation.p99Millis, 2)} ms`]))))));
  } catch (error) {
    body.replaceChildren(h('p', { class: 'alert', text: errorMessage(error, t) }));
  }
}

function clearedText() {
  const cleared = state.cleared;
  return cleared ? t('admin.cache.cleared', { pattern: cleared.matched, redis: cleared.redisKeysRemoved, local: cleared.localEntriesRemoved }) : '';
}

async function clear(event, input) {
  event.preventDefault();
  const pattern = input.value.trim();
  state.pattern = pattern;
  const error = document.getElementById('cache-clear-error');
  if (!pattern || /\s/.test(pattern)) {
    error.textContent = t('admin.cache.patternInvalid');
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  input.setAttribute('aria-invalid', 'false');
  error.textContent = '';
  try {
    state.cleared = await admin('DELETE', `/api/v1/admin/cache?pattern=${encodeURIComponent(pattern)}`);
    document.getElementById('cache-cleared').textContent = clearedText();
    announce(clearedText());
  } catch (failure) {
    error.textContent = failure.detail || errorMessage(failure, t);
  }
}
