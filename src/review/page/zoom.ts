/** Zoom (wheel, +/-) and pan (drag) of an image stage inside a viewport, with a "fit" that shows it whole. */

export interface Zoom {
  fit(): void;
  zoomBy(factor: number): void;
  destroy(): void;
}

export function attachZoom(viewport: HTMLElement, stage: HTMLElement, size: { width: number; height: number }): Zoom {
  let scale = 1;
  let tx = 0;
  let ty = 0;
  const apply = () => {
    stage.style.transform = `translate(${tx}px, ${ty}px) scale(${scale})`;
    // Past 2x the reviewer wants to see pixels, not a smoothed blur.
    stage.classList.toggle('pixelated', scale > 2);
  };
  const zoomAt = (factor: number, mx: number, my: number) => {
    const next = Math.min(40, Math.max(0.05, scale * factor));
    tx = mx - ((mx - tx) * next) / scale;
    ty = my - ((my - ty) * next) / scale;
    scale = next;
    apply();
  };
  const fit = () => {
    const w = viewport.clientWidth || size.width;
    const h = viewport.clientHeight || size.height;
    scale = Math.min(w / size.width, h / size.height);
    tx = (w - size.width * scale) / 2;
    ty = (h - size.height * scale) / 2;
    apply();
  };
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  };
  let drag: { x: number; y: number } | null = null;
  const onDown = (e: PointerEvent) => {
    drag = { x: e.clientX, y: e.clientY };
    viewport.setPointerCapture(e.pointerId);
    viewport.classList.add('dragging');
  };
  const onMove = (e: PointerEvent) => {
    if (!drag) return;
    tx += e.clientX - drag.x;
    ty += e.clientY - drag.y;
    drag = { x: e.clientX, y: e.clientY };
    apply();
  };
  const onUp = () => {
    drag = null;
    viewport.classList.remove('dragging');
  };
  viewport.addEventListener('wheel', onWheel, { passive: false });
  viewport.addEventListener('pointerdown', onDown);
  viewport.addEventListener('pointermove', onMove);
  viewport.addEventListener('pointerup', onUp);
  viewport.addEventListener('dblclick', fit);
  const resize = new ResizeObserver(fit);
  resize.observe(viewport);
  fit();
  return {
    fit,
    zoomBy: (factor) => zoomAt(factor, viewport.clientWidth / 2, viewport.clientHeight / 2),
    destroy: () => resize.disconnect(),
  };
}
