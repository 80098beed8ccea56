/** The call controls' icons: small inline SVGs, decorative (each button's text names it). */
const PATHS: Record<string, string> = {
  mute: 'M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2z',
  camera: 'M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11l-4 4z',
  'switch-camera':
    'M20 5h-3.2L15 3H9L7.2 5H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zM12 17a5 5 0 0 1-4.9-4H5l3-3 3 3H9.1a3 3 0 0 0 5 1.3l1.4 1.4A5 5 0 0 1 12 17zm4-3-3-3h1.9a3 3 0 0 0-5-1.3L8.5 8.3A5 5 0 0 1 16.9 11H19l-3 3z',
  'hang-up':
    'M12 9c-1.6 0-3.15.25-4.6.72v3.1c0 .39-.23.74-.56.9-.98.49-1.87 1.12-2.66 1.85-.18.18-.43.28-.7.28-.28 0-.53-.11-.71-.29L.29 13.08a.96.96 0 0 1 0-1.41C3.34 8.78 7.46 7 12 7s8.66 1.78 11.71 4.67a.96.96 0 0 1 0 1.41l-2.48 2.48c-.18.18-.43.29-.71.29-.27 0-.52-.11-.7-.28a11.3 11.3 0 0 0-2.67-1.85.99.99 0 0 1-.56-.9v-3.1C15.15 9.25 13.6 9 12 9z',
  fullscreen: 'M7 14H5v5h5v-2H7v-3zm-2-4h2V7h3V5H5v5zm12 7h-3v2h5v-5h-2v3zM14 5v2h3v3h2V5h-5z',
};

/** A control's icon; the `control-off` class on its button draws the slash (muted, camera off). */
export function ControlIcon({ action }: { action: string }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" class="control-icon">
      <path d={PATHS[action] ?? ''} />
      <line x1="3" y1="3" x2="21" y2="21" class="icon-slash" />
    </svg>
  );
}
