/** The virtual-care icon (a video camera) with its accessible label, "Virtual visit" (R02). */
export function VirtualIcon({ label }: { label: string }) {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" role="img" aria-label={label} class="virtual-icon">
      <title>{label}</title>
      <rect x="2" y="6" width="13" height="12" rx="2" />
      <path d="M15 10.5 L22 7 V17 L15 13.5 Z" />
    </svg>
  );
}
