// Strings of the pages: one message file per language in ../i18n/<lang>.json (flat keys, `{name}` placeholders).
// The server picks the language from Accept-Language (the root element's `lang`) and lists the available ones in
// `data-languages`; a choice made with the switcher is kept in localStorage. English fills keys a file lacks.

const root = document.documentElement;
const STORAGE_KEY = 'holdfast.lang';
let messages = {};
let fallback = {};
const listeners = [];

export const languages = JSON.parse(root.dataset.languages || '{"en":"English"}');

async function fetchMessages(lang) {
  const response = await fetch(new URL(`../i18n/${lang}.json`, import.meta.url));
  if (!response.ok) throw new Error(`No messages for ${lang}`);
  return response.json();
}

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The language to start with: the one chosen before in this browser, else the server's pick. */
export function startLanguage() {
  const chosen = new URLSearchParams(location.search).get('lang') || stored();
  return chosen && languages[chosen] ? chosen : root.lang || 'en';
}

export function currentLanguage() {
  return root.lang || 'en';
}

/** Loads a language, applies it to the document's `data-i18n` elements and tells the listeners. */
export async function useLanguage(lang, remember = false) {
  const [chosen, english] = await Promise.all([
    fetchMessages(lang),
    lang === 'en' || Object.keys(fallback).length ? Promise.resolve(null) : fetchMessages('en').catch(() => ({})),
  ]);
  messages = chosen;
  if (lang === 'en') fallback = chosen;
  else if (english) fallback = english;
  root.lang = lang;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Storage may be unavailable (a sandboxed frame): the choice then lasts for this page only.
    }
  }
  applyMessages();
  listeners.forEach((listener) => listener(lang));
}

/** Calls back after every language change (to re-render what the page drew with t()). */
export function onLanguageChange(listener) {
  listeners.push(listener);
}

/** The message for a key, `{name}` placeholders filled from params; the key itself when no file has it. */
export function t(key, params = {}) {
  const text = messages[key] ?? fallback[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (all, name) => (name in params ? String(params[name]) : all));
}

/**
 * Fills elements marked in the HTML: `data-i18n="key"` sets the text, `data-i18n-attr="attr:key attr:key"` sets
 * attributes (aria-label, placeholder, title).
 */
export function applyMessages(scope = document) {
  scope.querySelectorAll('[data-i18n]').forEach((element) => {
    element.textContent = t(element.dataset.i18n);
  });
  scope.querySelectorAll('[data-i18n-attr]').forEach((element) => {
    for (const pair of element.dataset.i18nAttr.split(/\s+/)) {
      const [attribute, key] = pair.split(':');
      if (attribute && key) element.setAttribute(attribute, t(key));
    }
  });
}

/** Fills a <select> with the available languages and switches on change. */
export function languageSwitcher(select) {
  select.replaceChildren(
    ...Object.entries(languages).map(([tag, name]) => {
      const option = document.createElement('option');
      option.value = tag;
      option.lang = tag;
      option.textContent = name;
      return option;
    }),
  );
  select.value = currentLanguage();
  select.addEventListener('change', () => useLanguage(select.value, true));
  onLanguageChange((lang) => {
    select.value = lang;
  });
}
