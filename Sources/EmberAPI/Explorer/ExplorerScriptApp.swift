/// `app.js`: routes the URL fragment to a view, holds the chain's latest summaries, and polls
/// `/v1/info` so the page follows new blocks without a reload.
enum ExplorerScriptApp {
    static let module = #"""
import { getJSON, APIError, el } from './api.js';
import { statusPanel, chainPage, blockPage, transactionPage, addressPage, covenantsPage } from './pages.js';

/** Summaries held for the charts; the first render fetches them in one request. */
const CHARTED_BLOCKS = 120;
const POLL_MS = 2000;
/** Polls between reads of /v1/peers, which changes slowly. */
const PEER_POLLS = 10;

const HEX64 = /^[0-9a-fA-F]{64}$/;
const HEIGHT = /^[0-9]{1,20}$/;
const ADDRESS = /^(em|emt|emd)1[0-9a-z]{6,}$/i;

const state = { info: null, summaries: [], peers: null, polls: 0, renders: 0 };
const view = document.getElementById('view');

function reportError(message) {
  document.getElementById('errors').append(el('li', { class: 'explorer-error' }, message));
}
window.addEventListener('error', (event) => reportError(String(event.message)));
window.addEventListener('unhandledrejection', (event) => reportError(String(event.reason)));

function currentRoute() {
  const [, page = '', argument = ''] = location.hash.split('/');
  return { page, argument: decodeURIComponent(argument) };
}

function notice(text) {
  return el('p', { class: 'notice', id: 'not-found' }, text);
}

async function content(page, argument) {
  switch (page) {
    case '':
      if (state.summaries.length === 0) await followTip(state.info);
      return chainPage(state.summaries);
    case 'block': return HEX64.test(argument) ? blockPage(`/blocks/${argument}`) : notice('A block hash is 64 hex digits.');
    case 'height': return HEIGHT.test(argument) ? blockPage(`/blocks/height/${argument}`) : notice('A height is a whole number.');
    case 'tx': return HEX64.test(argument) ? transactionPage(argument) : notice('A txid is 64 hex digits.');
    case 'address': return ADDRESS.test(argument) ? addressPage(argument) : notice('Not an Ember address.');
    case 'covenants': {
      const tag = Number(argument);
      return Number.isInteger(tag) && tag >= 1 && tag <= 15 ? covenantsPage(tag) : notice('Covenant lock tags are 1 to 15.');
    }
    default: return notice(`No page ${page}.`);
  }
}

/** Renders the view the fragment names; a newer render started meanwhile wins. */
async function render() {
  const ticket = ++state.renders;
  const { page, argument } = currentRoute();
  let nodes;
  try {
    nodes = await content(page, argument);
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
    nodes = notice(error.status === 404 ? `Not found: ${error.message}` : `The node answered ${error.message}`);
  }
  if (ticket !== state.renders) return;
  view.replaceChildren(...[nodes].flat(Infinity).filter(Boolean));
  document.body.dataset.view = page || 'chain';
  if (!document.body.dataset.firstRenderMs) document.body.dataset.firstRenderMs = String(Math.round(performance.now()));
}

function renderStatus() {
  document.getElementById('status').replaceChildren(statusPanel(state.info, state.peers, Date.now()));
  document.body.dataset.tipHeight = String(state.info.height);
}

async function readPeers() {
  try {
    state.peers = (await getJSON('/peers')).peers.length;
  } catch {
    state.peers = null;
  }
}

/**
 * Brings the held summaries up to `info`'s tip: only the new blocks when they extend what is held,
 * all of them again after a reorganisation or a long gap.
 */
async function followTip(info) {
  const newest = state.summaries[0];
  const gap = newest ? info.height - newest.height : 0;
  if (newest && gap > 0 && gap < CHARTED_BLOCKS) {
    const fresh = (await getJSON(`/blocks/height/${info.height}/summaries?limit=${gap}`)).summaries;
    if (fresh.length === gap && fresh[fresh.length - 1].parent === newest.hash) {
      state.summaries = fresh.concat(state.summaries).slice(0, CHARTED_BLOCKS);
      return;
    }
  }
  state.summaries = (await getJSON(`/blocks/height/${info.height}/summaries?limit=${CHARTED_BLOCKS}`)).summaries;
}

async function poll() {
  try {
    const info = await getJSON('/info');
    state.polls += 1;
    if (state.polls % PEER_POLLS === 0) await readPeers();
    const moved = info.tip !== state.info.tip;
    if (moved && state.summaries.length > 0) await followTip(info);
    state.info = info;
    renderStatus();
    if (moved && currentRoute().page === '') await render();
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

document.getElementById('search').addEventListener('submit', async (event) => {
  event.preventDefault();
  const query = new FormData(event.target).get('q').trim();
  if (HEIGHT.test(query)) location.hash = `#/height/${query}`;
  else if (ADDRESS.test(query)) location.hash = `#/address/${query}`;
  else if (HEX64.test(query)) {
    const isBlock = await getJSON(`/blocks/${query}`).then(() => true, () => false);
    location.hash = isBlock ? `#/block/${query}` : `#/tx/${query}`;
  } else reportError(`Search for a height, a 64-digit hash or an address, not "${query}".`);
});
window.addEventListener('hashchange', render);

async function start() {
  const [info] = await Promise.all([getJSON('/info'), readPeers()]);
  state.info = info;
  renderStatus();
  await render();
  setTimeout(poll, POLL_MS);
}

start();
"""#
}
