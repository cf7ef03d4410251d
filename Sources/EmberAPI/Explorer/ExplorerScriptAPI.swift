/// `api.js`: the one way the page reads the node (`/v1` only), and the formatting every view shares.
enum ExplorerScriptAPI {
    static let module = #"""
// Every read goes through getJSON, so the page talks to nothing but the node's /v1 API.
export class APIError extends Error {
  constructor(path, status, body) {
    super(`${path}: ${status} ${body.detail || body.error || ''}`.trim());
    this.status = status;
  }
}

export async function getJSON(path) {
  const response = await fetch('/v1' + path, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new APIError(path, response.status, body);
  return body;
}

const UNITS_PER_EMB = 10n ** 18n;

/** A decimal string of units as EMB, with at most eight decimals. */
export function formatEMB(units) {
  const value = BigInt(units);
  const fraction = (value % UNITS_PER_EMB).toString().padStart(18, '0').slice(0, 8).replace(/0+$/, '');
  return `${value / UNITS_PER_EMB}${fraction ? '.' + fraction : ''} EMB`;
}

/** A decimal string of units as a float number of EMB, for charts. */
export function embNumber(units) {
  return Number(BigInt(units) / 10n ** 10n) / 1e8;
}

/** A large decimal string with an SI suffix: "1234567" → "1.23 M". */
export function formatLarge(text, unit = '') {
  const value = Number(text);
  const prefixes = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
  let scaled = value, index = 0;
  while (Math.abs(scaled) >= 1000 && index < prefixes.length - 1) { scaled /= 1000; index += 1; }
  const digits = index === 0 ? String(Math.round(scaled)) : scaled.toPrecision(3);
  return `${digits} ${prefixes[index]}${unit}`.trim();
}

export function formatTime(ms) {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function formatAge(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

export function shortHash(hash) {
  return hash.length > 16 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : hash;
}

/** Builds an element; text children become text nodes, so nothing the node sends is parsed as HTML. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function link(href, text, className) {
  return el('a', { href, class: className }, text);
}

export function badge(isPolw) {
  return el('span', { class: `badge ${isPolw ? 'polw' : 'pow'}`, title: isPolw ? 'Proof of Less Work: the coinbase burns' : 'plain proof of work' },
    isPolw ? 'PoLW' : 'PoW');
}

/** A definition list of [label, value] pairs. */
export function fields(pairs, attributes = { class: 'fields' }) {
  return el('dl', attributes, pairs.flatMap(([label, value]) => [el('dt', {}, label), el('dd', {}, value)]));
}
"""#
}
