/**
 * Time charts as plain SVG: panels stacked over one shared time axis, each with dots
 * (one per request) or a line, shaded time ranges (an outage, a restart) and failures
 * drawn as red ticks along the panel's top edge. No library: a few strings.
 */
export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
  kind?: 'dots' | 'line';
}

export interface Panel {
  title: string;
  yLabel: string;
  scale: 'log' | 'linear';
  series: Series[];
  /** x of each failed request. */
  failures?: number[];
  bands?: { from: number; to: number; label: string }[];
}

const WIDTH = 900;
const PANEL_HEIGHT = 190;
const LEFT = 70;
const RIGHT = 20;
const TOP = 50;
const GAP = 55;

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function timeChart({
  title,
  subtitle,
  xLabel,
  panels,
}: {
  title: string;
  subtitle: string;
  xLabel: string;
  panels: Panel[];
}): string {
  const all = panels.flatMap((p) => [...p.series.flatMap((s) => s.points.map((pt) => pt.x)), ...(p.failures ?? [])]);
  const xMax = Math.max(1, ...all);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const sx = (x: number) => LEFT + (x / xMax) * plotWidth;
  const height = TOP + panels.length * (PANEL_HEIGHT + GAP) + 10;
  // Log panels share one range, so V5's and V6's dots compare by position, not by tick labels.
  const logMax = Math.max(
    1,
    ...panels.filter((p) => p.scale === 'log').flatMap((p) => p.series.flatMap((s) => s.points.map((pt) => pt.y))),
  );
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${LEFT}" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="${LEFT}" y="37" fill="#555">${esc(subtitle)}</text>`,
  ];
  panels.forEach((panel, i) => {
    const top = TOP + i * (PANEL_HEIGHT + GAP) + 15;
    const bottom = top + PANEL_HEIGHT;
    const ys = panel.series.flatMap((s) => s.points.map((p) => p.y));
    const yMaxRaw = panel.scale === 'log' ? logMax : Math.max(1, ...ys);
    let sy: (y: number) => number;
    let ticks: number[];
    if (panel.scale === 'log') {
      const lo = 0;
      const hi = Math.ceil(Math.log10(yMaxRaw));
      sy = (y) => bottom - ((Math.log10(Math.max(1, y)) - lo) / Math.max(1, hi - lo)) * PANEL_HEIGHT;
      ticks = Array.from({ length: hi - lo + 1 }, (_, k) => 10 ** (lo + k));
    } else {
      const step = niceStep(yMaxRaw / 4);
      const hi = Math.ceil(yMaxRaw / step) * step;
      sy = (y) => bottom - (y / hi) * PANEL_HEIGHT;
      ticks = Array.from({ length: Math.round(hi / step) + 1 }, (_, k) => k * step);
    }
    out.push(`<text x="${LEFT}" y="${top - 6}" font-size="12" font-weight="bold">${esc(panel.title)}</text>`);
    for (const band of panel.bands ?? []) {
      out.push(
        `<rect x="${sx(band.from).toFixed(1)}" y="${top}" width="${Math.max(1, sx(band.to) - sx(band.from)).toFixed(1)}" height="${PANEL_HEIGHT}" fill="#f4d9a6" opacity="0.6"/>`,
        `<text x="${(sx(band.from) + 3).toFixed(1)}" y="${top + 12}" fill="#8a5a00">${esc(band.label)}</text>`,
      );
    }
    for (const tick of ticks) {
      const y = sy(tick).toFixed(1);
      out.push(
        `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`,
        `<text x="${LEFT - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${tick.toLocaleString('en-US')}</text>`,
      );
    }
    out.push(
      `<rect x="${LEFT}" y="${top}" width="${plotWidth}" height="${PANEL_HEIGHT}" fill="none" stroke="#999"/>`,
      `<text transform="translate(${LEFT - 50},${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(panel.yLabel)}</text>`,
    );
    for (const series of panel.series) {
      if (series.kind === 'line') {
        const d = series.points.map((p, k) => `${k ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join('');
        out.push(`<path d="${d}" fill="none" stroke="${series.color}" stroke-width="1.8"/>`);
      } else {
        out.push(
          `<g fill="${series.color}" fill-opacity="0.55">${series.points
            .map((p) => `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="1.6"/>`)
            .join('')}</g>`,
        );
      }
    }
    if (panel.failures?.length) {
      out.push(
        `<g stroke="#d62728" stroke-width="1">${panel.failures
          .map((x) => `<line x1="${sx(x).toFixed(1)}" x2="${sx(x).toFixed(1)}" y1="${top}" y2="${top + 10}"/>`)
          .join('')}</g>`,
      );
    }
    const legend = [
      ...panel.series.map((s) => ({ name: s.name, color: s.color })),
      ...(panel.failures?.length ? [{ name: `failed requests (${panel.failures.length})`, color: '#d62728' }] : []),
    ];
    legend.forEach((entry, k) => {
      const x = WIDTH - RIGHT - 230;
      const y = top + 14 + k * 14;
      out.push(
        `<rect x="${x}" y="${y - 8}" width="10" height="10" fill="${entry.color}"/>`,
        `<text x="${x + 14}" y="${y + 1}">${esc(entry.name)}</text>`,
      );
    });
    const xStep = niceStep(xMax / 8);
    for (let x = 0; x <= xMax + 1e-9; x += xStep) {
      out.push(`<text x="${sx(x).toFixed(1)}" y="${bottom + 14}" text-anchor="middle">${Number(x.toFixed(3))}</text>`);
    }
    out.push(`<text x="${LEFT + plotWidth / 2}" y="${bottom + 30}" text-anchor="middle" fill="#555">${esc(xLabel)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}
