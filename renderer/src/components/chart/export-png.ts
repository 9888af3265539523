import { t } from '../../i18n';

/** Properties copied from the live chart, so the exported image has the colours of the current theme. */
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
];

/** Room under the chart for its caption in the exported image (CSS pixels). */
const CAPTION_HEIGHT = 22;

function fileNameFor(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .toLowerCase();
  return `${base || 'chart'}.png`;
}

/**
 * Draws the chart's SVG onto a canvas (2× for sharp text) and downloads it. CSS variables do not survive
 * outside the page, so computed styles are written onto a copy first; hover marks are left out. The caption
 * (the data's source, place, time and freshness) is written under the chart, so the image names its data too.
 */
export async function exportSvgAsPng(
  svg: SVGSVGElement,
  title: string,
  caption: string | null = null,
  scale = 2,
): Promise<void> {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [clone, ...clone.querySelectorAll('*')];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const target = dst[i] as SVGElement;
    target.setAttribute('style', STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';'));
  });
  for (const el of clone.querySelectorAll('.chart-hover-line, .chart-hit')) el.remove();
  const width = svg.width.baseVal.value;
  const height = svg.height.baseVal.value;
  const bg = getComputedStyle(svg.closest('.chart') ?? document.body).backgroundColor;
  const back = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  back.setAttribute('width', '100%');
  back.setAttribute('height', '100%');
  back.setAttribute('fill', bg && bg !== 'rgba(0, 0, 0, 0)' ? bg : '#ffffff');
  clone.insertBefore(back, clone.firstChild);

  const url = URL.createObjectURL(
    new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml;charset=utf-8' }),
  );
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error(t('chart.drawFailed')));
      img.src = url;
    });
    const captionH = caption ? CAPTION_HEIGHT : 0;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round((height + captionH) * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('No 2D canvas available.');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    if (caption) {
      const figure = getComputedStyle(svg.closest('.chart') ?? document.body);
      ctx.fillStyle = back.getAttribute('fill') ?? '#ffffff';
      ctx.fillRect(0, height, width, captionH);
      ctx.fillStyle = getComputedStyle(svg).getPropertyValue('--muted').trim() || figure.color || '#555555';
      ctx.font = `11px ${figure.fontFamily || 'sans-serif'}`;
      ctx.fillText(caption, 8, height + 15, width - 16);
    }
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error(t('chart.encodeFailed'));
    const png = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = png;
    a.download = fileNameFor(title);
    a.click();
    setTimeout(() => URL.revokeObjectURL(png), 1000);
  } finally {
    URL.revokeObjectURL(url);
  }
}
