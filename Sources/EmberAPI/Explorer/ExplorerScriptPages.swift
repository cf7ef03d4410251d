/// `pages.js`: one function per view (chain, block, transaction, address, layer 2), each returning
/// the elements it shows.
enum ExplorerScriptPages {
    static let module = #"""
import { getJSON, formatEMB, embNumber, formatLarge, formatTime, shortHash, el, link, badge, fields } from './api.js';
import { lineChart } from './charts.js';

/** Blocks listed in the latest-blocks table; the charts use every summary the app holds. */
const LISTED_BLOCKS = 25;

export function statusPanel(info, peers, nowMs) {
  const ageMs = nowMs - info.tipTimestamp;
  const sync = peers === null ? 'no P2P'
    : peers === 0 ? 'no peers: the tip is this node\'s own'
    : `${peers} peer${peers === 1 ? '' : 's'}`;
  const state = ageMs < 600000 ? 'following the chain' : 'tip is old: catching up, or no one is mining';
  return fields([
    ['Network', info.network],
    ['Height', el('span', { id: 'tip-height' }, String(info.height))],
    ['Tip', link(`#/block/${info.tip}`, shortHash(info.tip), 'hash')],
    ['Tip time', `${formatTime(info.tipTimestamp)} (${Math.round(ageMs / 1000)} s ago)`],
    ['Sync', el('span', { id: 'sync-state' }, `${state}; ${sync}`)],
    ['Difficulty', formatLarge(info.difficulty)],
    ['Hash rate (target)', formatLarge(info.estimatedHashRate, 'H/s')],
    ['PoLW', info.polwActive ? badge(true) : `off (threshold ${formatLarge(info.polwThresholdHashRate, 'H/s')})`],
    ['Minted', formatEMB(info.minted)],
    ['Burnt', el('span', { id: 'total-burnt' }, formatEMB(info.burnt))],
    ['Mempool', `${info.mempoolTransactions} transactions`],
    ['Mining', info.mining ? `yes, ${formatLarge(String(info.minerHashRate), 'H/s')}` : 'no'],
  ], { class: 'status' });
}

export function chainPage(summaries) {
  const ascending = [...summaries].reverse();
  const series = (value) => ascending.map((s) => ({ x: s.height, y: value(s), polw: s.polw }));
  const charts = el('div', { class: 'charts' },
    lineChart({ id: 'chart-hashrate', title: 'Hash rate', unit: 'H/s', points: series((s) => Number(s.hashRate)) }),
    lineChart({ id: 'chart-difficulty', title: 'Difficulty', unit: 'hashes per block', points: series((s) => Number(s.difficulty)) }),
    lineChart({ id: 'chart-burn', title: 'Burnt per block', unit: 'EMB', points: series((s) => embNumber(s.burnt)) }),
  );
  const rows = summaries.slice(0, LISTED_BLOCKS).map((s) => el('tr', { class: s.polw ? 'polw' : 'pow', 'data-height': s.height },
    el('td', {}, link(`#/block/${s.hash}`, String(s.height))),
    el('td', {}, formatTime(s.timestamp)),
    el('td', {}, String(s.transactionCount)),
    el('td', {}, formatEMB(s.reward)),
    el('td', {}, formatEMB(s.burnt)),
    el('td', {}, badge(s.polw)),
  ));
  return [
    el('h2', {}, 'Latest blocks'),
    el('table', { id: 'latest-blocks' },
      el('thead', {}, el('tr', {}, ['Height', 'Time', 'Transactions', 'Reward', 'Burnt', 'Work'].map((h) => el('th', {}, h)))),
      el('tbody', {}, rows)),
    el('h2', {}, 'Charts'),
    charts,
  ];
}

/** A block by its API path: `/blocks/HASH` or `/blocks/height/H`. */
export async function blockPage(blockPath) {
  const block = await getJSON(blockPath);
  const [summary] = (await getJSON(`/blocks/height/${block.height}/summaries?limit=1`)).summaries;
  const known = summary && summary.hash === block.hash ? summary : null;
  return [
    el('h1', {}, `Block ${block.height} `, known ? el('span', { id: 'block-work' }, badge(known.polw)) : null),
    fields([
      ['Hash', el('span', { class: 'hash', id: 'block-hash' }, block.hash)],
      ['Parent', block.height > 0 ? link(`#/block/${block.parent}`, block.parent, 'hash') : 'none (genesis)'],
      ['Time', formatTime(block.timestamp)],
      ['Active chain', block.active ? 'yes' : 'no (a side branch)'],
      ['Reward', formatEMB(block.reward)],
      ['Burnt', formatEMB(block.burnt)],
      ['Target', block.target],
      ['Difficulty', known ? formatLarge(known.difficulty) : 'n/a'],
      ['Hash rate (target)', known ? formatLarge(known.hashRate, 'H/s') : 'n/a'],
      ['Size', `${block.size} bytes`],
    ]),
    el('h2', {}, `Transactions (${block.transactions.length})`),
    el('ol', { id: 'block-transactions', start: 0 },
      block.transactions.map((txid) => el('li', {}, link(`#/tx/${txid}`, txid, 'hash')))),
  ];
}

function lockCell(output) {
  if (output.address) return link(`#/address/${output.address}`, output.address, 'hash');
  return el('span', { class: 'hash', title: output.lockHex }, `tag ${output.lockTag}: ${shortHash(output.lockHex)}`);
}

export async function transactionPage(txid) {
  const tx = await getJSON(`/transactions/${txid}`);
  const place = tx.status === 'confirmed'
    ? ['Block', link(`#/block/${tx.blockHash}`, `${tx.height} (${shortHash(tx.blockHash)})`)]
    : ['Block', 'none yet: in the mempool'];
  return [
    el('h1', {}, 'Transaction'),
    fields([
      ['Txid', el('span', { class: 'hash', id: 'tx-id' }, tx.txid)],
      ['Status', tx.status],
      place,
      ['Version', String(tx.version)],
      ['Size', `${tx.size} bytes`],
    ]),
    el('h2', {}, `Inputs (${tx.inputs.length})`),
    tx.inputs.length
      ? el('ul', { id: 'tx-inputs' }, tx.inputs.map((i) => el('li', {}, link(`#/tx/${i.txid}`, `${i.txid}:${i.index}`, 'hash'))))
      : el('p', { id: 'tx-inputs' }, 'none: a coinbase mints its coins'),
    el('h2', {}, `Outputs (${tx.outputs.length})`),
    el('table', { id: 'tx-outputs' },
      el('thead', {}, el('tr', {}, ['#', 'Amount', 'Lock', 'Lock time'].map((h) => el('th', {}, h)))),
      el('tbody', {}, tx.outputs.map((output, index) => el('tr', {},
        el('td', {}, String(index)), el('td', {}, formatEMB(output.amount)), el('td', {}, lockCell(output)),
        el('td', {}, output.lockTime > 0 ? formatTime(output.lockTime) : 'none'))))),
    tx.reads.length ? [el('h2', {}, 'Reads'), el('ul', {}, tx.reads.map((r) => el('li', {}, link(`#/tx/${r.txid}`, `${r.txid}:${r.index}`, 'hash'))))] : null,
    tx.blobHashes.length ? [el('h2', {}, 'Blobs'), el('ul', {}, tx.blobHashes.map((h) => el('li', { class: 'hash' }, h)))] : null,
  ];
}

export async function addressPage(address) {
  const [balance, outputs, history] = await Promise.all([
    getJSON(`/addresses/${address}/balance`),
    getJSON(`/addresses/${address}/outputs?limit=50`),
    getJSON(`/addresses/${address}/history?limit=50`),
  ]);
  return [
    el('h1', {}, 'Address'),
    fields([
      ['Address', el('span', { class: 'hash', id: 'address' }, balance.address)],
      ['Balance', el('span', { id: 'address-balance' }, formatEMB(balance.balance))],
      ['Spendable now', formatEMB(balance.spendable)],
      ['Unspent outputs', String(balance.outputCount)],
    ]),
    el('h2', {}, 'History (newest first, at most 50)'),
    el('table', { id: 'address-history' },
      el('thead', {}, el('tr', {}, ['Height', 'Transaction', 'Received', 'Sent'].map((h) => el('th', {}, h)))),
      el('tbody', {}, history.entries.map((entry) => el('tr', {},
        el('td', {}, link(`#/block/${entry.blockHash}`, String(entry.height))), el('td', {}, link(`#/tx/${entry.txid}`, shortHash(entry.txid), 'hash')),
        el('td', {}, formatEMB(entry.received)), el('td', {}, formatEMB(entry.sent)))))),
    el('h2', {}, 'Unspent outputs (at most 50)'),
    el('table', { id: 'address-outputs' },
      el('thead', {}, el('tr', {}, ['Output', 'Amount', 'Height', 'Coinbase'].map((h) => el('th', {}, h)))),
      el('tbody', {}, outputs.outputs.map((o) => el('tr', {},
        el('td', {}, link(`#/tx/${o.txid}`, `${shortHash(o.txid)}:${o.index}`, 'hash')), el('td', {}, formatEMB(o.amount)),
        el('td', {}, String(o.height)), el('td', {}, o.coinbase ? 'yes' : 'no'))))),
  ];
}

/** The layer-2 objects there are so far: covenant outputs by lock tag (DESIGN.md section 15). */
const TAG_NAMES = { 1: 'channel', 2: 'channel dispute' };

export async function covenantsPage(tag) {
  const listing = await getJSON(`/covenants/${tag}/outputs?limit=200`);
  const tabs = el('p', { class: 'tabs' }, Array.from({ length: 15 }, (_, i) => i + 1).map((t) =>
    link(`#/covenants/${t}`, `${t}${TAG_NAMES[t] ? ' ' + TAG_NAMES[t] : ''}`, t === tag ? 'current' : undefined)));
  return [
    el('h1', {}, `Layer 2: covenant outputs with lock tag ${tag}${TAG_NAMES[tag] ? ` (${TAG_NAMES[tag]})` : ''}`),
    tabs,
    el('p', { class: 'notice' }, `Outputs created in active blocks ${listing.scannedFrom}…${listing.scannedTo}, newest first. `
      + 'Channels are tags 1 and 2; Plasma and Truebit objects get pages once their issues land.'),
    listing.outputs.length === 0 ? el('p', { id: 'covenant-outputs-empty' }, 'None in these blocks.') :
    el('table', { id: 'covenant-outputs' },
      el('thead', {}, el('tr', {}, ['Output', 'Amount', 'Height', 'State', 'Lock'].map((h) => el('th', {}, h)))),
      el('tbody', {}, listing.outputs.map((o) => el('tr', {},
        el('td', {}, link(`#/tx/${o.txid}`, `${shortHash(o.txid)}:${o.index}`, 'hash')), el('td', {}, formatEMB(o.amount)),
        el('td', {}, link(`#/block/${o.blockHash}`, String(o.height))),
        el('td', {}, el('span', { class: `badge ${o.unspent ? 'unspent' : 'spent'}` }, o.unspent ? 'unspent' : 'spent')),
        el('td', { class: 'hash', title: o.lockHex }, shortHash(o.lockHex)))))),
  ];
}
"""#
}
