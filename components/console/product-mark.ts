/**
 * Astra Companion's mark at the head of every in-page panel, so a person can tell our words from the console's.
 * The SVG is the product icon (assets/icon.svg, bundled), parsed as SVG (never as HTML) and adopted into the page.
 */
import markSvg from '@/assets/icon.svg?raw';

let parsed: SVGSVGElement | null = null;

export function productMark(size = 16): Element {
  if (!parsed) {
    const doc = new DOMParser().parseFromString(markSvg, 'image/svg+xml');
    parsed = doc.documentElement as unknown as SVGSVGElement;
  }
  const mark = document.importNode(parsed, true) as SVGSVGElement;
  mark.setAttribute('width', String(size));
  mark.setAttribute('height', String(size));
  mark.setAttribute('aria-hidden', 'true');
  mark.setAttribute('focusable', 'false');
  mark.setAttribute('style', 'flex:none;display:block');
  return mark;
}
