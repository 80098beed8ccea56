import { describe, expect, it } from 'vitest';
import { CAPTION_LINES, addCaption, partsOf } from './captions';

const part = (resultId: string, text: string, partial = false, attendeeId = 'a1') => ({ resultId, attendeeId, text, partial });

describe('captions (R39)', () => {
  it('test_r39_a_partial_line_is_replaced_by_its_next_version', () => {
    const first = addCaption([], part('r1', 'How are', true));
    const final = addCaption(first, part('r1', 'How are you feeling today?'));
    expect(final).toEqual([part('r1', 'How are you feeling today?')]);
  });

  it('only the last lines stay, and empty results add nothing', () => {
    let lines = addCaption([], part('r1', 'One.'));
    lines = addCaption(lines, part('r2', 'Two.'));
    lines = addCaption(lines, part('r3', 'Three.'));
    expect(lines.map((l) => l.text)).toEqual(['Two.', 'Three.'].slice(-CAPTION_LINES));
    expect(addCaption(lines, part('r4', '   '))).toBe(lines);
  });

  it("test_r39_chime_results_become_lines_attributed_to_their_speaker", () => {
    const parts = partsOf([
      { resultId: 'r1', isPartial: true, alternatives: [{ transcript: 'Good morning', items: [{ attendee: { attendeeId: 'caregiver' } }] }] },
      { resultId: 'r2', isPartial: false, alternatives: [] },
      { resultId: 'r3', isPartial: false, alternatives: [{ transcript: 'Hi', items: [] }] },
    ]);
    expect(parts).toEqual([
      { resultId: 'r1', attendeeId: 'caregiver', text: 'Good morning', partial: true },
      { resultId: 'r3', attendeeId: '', text: 'Hi', partial: false },
    ]);
  });
});
