import { describe, expect, it } from 'vitest';
import { ordered, present, roleOf } from './participants';

describe('who is in the call (R38)', () => {
  it('test_r38_roles_come_from_the_non_personal_external_ids', () => {
    expect(roleOf('employee-sunrise-james')).toBe('employee');
    expect(roleOf('client-v123')).toBe('client');
    expect(roleOf('guest-v123')).toBe('guest');
    // a content share, an empty id, someone else: no tile
    expect(roleOf('client-v123#content')).toBeNull();
    expect(roleOf('guest-')).toBeNull();
    expect(roleOf('')).toBeNull();
    expect(roleOf(undefined)).toBeNull();
    expect(roleOf('recorder-1')).toBeNull();
  });

  it('tiles come in one order whoever arrived first, each person once', () => {
    const list = [
      { attendeeId: 'g', role: 'guest' as const },
      { attendeeId: 'c', role: 'client' as const },
      { attendeeId: 'e', role: 'employee' as const },
      { attendeeId: 'c', role: 'client' as const },
    ];
    expect(ordered(list).map((p) => p.role)).toEqual(['employee', 'client', 'guest']);
    expect(present(list, 'guest')).toBe(true);
    expect(present([], 'employee')).toBe(false);
  });
});
