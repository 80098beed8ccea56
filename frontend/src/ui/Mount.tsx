/** Puts an element made outside Preact (a playing <video>, a live <meter>) in the tree, without re-creating it. */
export function Mount({ el }: { el: Element }) {
  const place = (slot: HTMLSpanElement | null): void => {
    if (slot && el.parentNode !== slot) slot.append(el);
  };
  return <span class="media-slot" ref={place} />;
}
