// The admin session: the token (sessionStorage only: it dies with the tab), admin requests with it, the catalogue
// every section names things from, and which optional admin endpoints this server answers.

import { request, query } from '../api.js';

const TOKEN_KEY = 'holdfast.adminToken';
const signOutListeners = [];

export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function keepToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken() {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // nothing kept, nothing to forget
  }
}

/** Called when the server stops taking the token (401/403 on an admin call): the page returns to sign-in. */
export function onSignedOut(listener) {
  signOutListeners.push(listener);
}

/** An admin API call with the bearer token. */
export async function admin(method, path, body) {
  try {
    return await request(method, path, { body, headers: { Authorization: `Bearer ${token()}` } });
  } catch (error) {
    if (error.status === 401 || error.status === 403) signOutListeners.forEach((listener) => listener(error));
    throw error;
  }
}

/** Checks a token before keeping it: resolves true when the admin API takes it, false on 401/403. */
export async function tokenWorks(candidate) {
  try {
    await request('GET', `/api/v1/admin/outbox${query({ limit: 1 })}`, { headers: { Authorization: `Bearer ${candidate}` } });
    return true;
  } catch (error) {
    if (error.status === 401 || error.status === 403) return false;
    throw error;
  }
}

/** Locations, services and staff (public lists, or the admin lists where the server has them), with lookups. */
export const catalogue = {
  locations: [],
  services: [],
  staff: [],
  async load() {
    const [locations, services, staff] = await Promise.all([
      request('GET', '/api/v1/locations'),
      request('GET', '/api/v1/services'),
      request('GET', '/api/v1/staff'),
    ]);
    this.locations = locations;
    this.services = services;
    this.staff = staff;
  },
  location(id) {
    return this.locations.find((location) => location.id === id);
  },
  service(id) {
    return this.services.find((service) => service.id === id);
  },
  member(id) {
    return this.staff.find((member) => member.id === id);
  },
  /** The time zone a staff member works in (the location's); the browser's when unknown. */
  zoneOf(staffId) {
    const member = this.member(staffId);
    const location = member && this.location(member.locationId);
    return location ? location.timeZone : Intl.DateTimeFormat().resolvedOptions().timeZone;
  },
};

/**
 * Optional endpoints, asked once per sign-in. An OPTIONS request answers the methods a path maps (Allow) and 404
 * for a path the server does not know, without touching anything: so a release button appears only on a server
 * that can release a hold, and the catalogue editor lists and edits only where the admin lists exist.
 */
export const features = {
  releaseHold: false,
  catalogueAdmin: false,
  async detect() {
    const [release, list] = await Promise.all([
      allows(`/api/v1/admin/holds/00000000-0000-0000-0000-000000000000`, 'DELETE'),
      admin('GET', '/api/v1/admin/locations').then(() => true, (error) => {
        if (error.status === 404 || error.status === 405) return false;
        throw error;
      }),
    ]);
    this.releaseHold = release;
    this.catalogueAdmin = list;
  },
};

async function allows(path, method) {
  try {
    const response = await fetch(path, { method: 'OPTIONS', headers: { Authorization: `Bearer ${token()}` }, cache: 'no-store' });
    const allow = response.ok ? response.headers.get('Allow') || '' : '';
    return allow.split(',').map((m) => m.trim().toUpperCase()).includes(method);
  } catch {
    return false;
  }
}
