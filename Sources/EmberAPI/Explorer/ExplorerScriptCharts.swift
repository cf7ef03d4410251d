/// `charts.js`: small hand-written SVG line charts, with PoLW blocks marked as red dots.
enum ExplorerScriptCharts {
    static let module = #"""
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 360, HEIGHT = 170;
const PLOT = { left: 46, right: 8, top: 8, bottom: 24 };

function svg(tag, attributes = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function compact(value) {
  const magnitude = Math.abs(value);
  if (magnitude === 0) return '0';
  if (magnitude >= 1e4 || magnitude < 1e-2) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/**
 * A line chart of points {x: height, y: number, polw: bool}, x ascending. Axes are labelled with the
 * heights and the value range in `unit`; PoLW points get a red dot each.
 */
export function lineChart({ id, title, unit, points }) {
  const figure = document.createElement('figure');
  figure.className = 'chart';
  figure.id = id;
  const caption = document.createElement('figcaption');
  caption.textContent = `${title} (${unit}), last ${points.length} blocks`;
  figure.append(caption);
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title });
  figure.append(chart);
  if (points.length === 0) return figure;
  const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
  const xMin = Math.min(...xs), xMax = Math.max(...xs);
  let yMin = Math.min(0, ...ys), yMax = Math.max(...ys);
  if (yMax === yMin) yMax = yMin + 1;
  const width = WIDTH - PLOT.left - PLOT.right, height = HEIGHT - PLOT.top - PLOT.bottom;
  const sx = (x) => PLOT.left + (xMax === xMin ? width / 2 : ((x - xMin) / (xMax - xMin)) * width);
  const sy = (y) => PLOT.top + height - ((y - yMin) / (yMax - yMin)) * height;
  chart.append(
    svg('line', { class: 'axis', x1: PLOT.left, y1: PLOT.top, x2: PLOT.left, y2: PLOT.top + height }),
    svg('line', { class: 'axis', x1: PLOT.left, y1: PLOT.top + height, x2: PLOT.left + width, y2: PLOT.top + height }),
    svg('text', { x: PLOT.left - 4, y: PLOT.top + 8, 'text-anchor': 'end' }, compact(yMax)),
    svg('text', { x: PLOT.left - 4, y: PLOT.top + height, 'text-anchor': 'end' }, compact(yMin)),
    svg('text', { x: PLOT.left, y: HEIGHT - 8, 'text-anchor': 'start' }, `#${xMin}`),
    svg('text', { x: PLOT.left + width, y: HEIGHT - 8, 'text-anchor': 'end' }, `#${xMax}`),
    svg('text', { x: PLOT.left + width / 2, y: HEIGHT - 8, 'text-anchor': 'middle' }, 'block height'),
    svg('polyline', { class: 'series', points: points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ') }),
  );
  for (const point of points) {
    if (!point.polw) continue;
    const dot = svg('circle', { class: 'polw', cx: sx(point.x).toFixed(1), cy: sy(point.y).toFixed(1), r: 2 });
    dot.append(svg('title', {}, `#${point.x} PoLW: ${compact(point.y)} ${unit}`));
    chart.append(dot);
  }
  return figure;
}
"""#
}
