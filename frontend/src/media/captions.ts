/**
 * Live captions as the page shows them (R39): the last few lines said, each with who said it. Chime delivers
 * the transcript in results; a partial result is replaced by its next version (same result id) until it is
 * final. Pure: the Chime provider turns the SDK's TranscriptEvents into CaptionParts (media/chime.ts).
 */
export interface CaptionPart {
  resultId: string;
  /** The speaker's attendee id (Chime attributes each result to one attendee). */
  attendeeId: string;
  text: string;
  partial: boolean;
}

export type CaptionLine = CaptionPart;

/** How many lines stay on screen: large text on a phone leaves room for about two or three. */
export const CAPTION_LINES = 2;

/** The lines after one more part: an update replaces its line, a new result is appended, the oldest go. */
export function addCaption(lines: CaptionLine[], part: CaptionPart, keep = CAPTION_LINES): CaptionLine[] {
  const text = part.text.trim();
  if (!text) return lines;
  const index = lines.findIndex((line) => line.resultId === part.resultId);
  const next = index >= 0 ? lines.map((line, i) => (i === index ? { ...part, text } : line)) : [...lines, { ...part, text }];
  return next.slice(-keep);
}

/** The shape of a Chime transcript result this module reads (the SDK's TranscriptResult has these fields). */
export interface TranscriptResultLike {
  resultId: string;
  isPartial: boolean;
  alternatives: { transcript: string; items: { attendee: { attendeeId: string } }[] }[];
}

/** The caption parts of a transcript's results: the best alternative, attributed to its first item's speaker. */
export function partsOf(results: TranscriptResultLike[]): CaptionPart[] {
  const parts: CaptionPart[] = [];
  for (const result of results) {
    const best = result.alternatives[0];
    if (!best) continue;
    parts.push({
      resultId: result.resultId,
      attendeeId: best.items[0]?.attendee.attendeeId ?? '',
      text: best.transcript,
      partial: result.isPartial,
    });
  }
  return parts;
}
