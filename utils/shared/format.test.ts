import { describe, expect, it } from 'vitest';
import { formatBytes, formatCountdown, formatDate, formatRelative } from './format';

describe('format', () => {
  it('says sizes the way people read them', () => {
    expect(formatBytes(312)).toBe('312 B');
    expect(formatBytes(12_345)).toBe('12.3 KB');
    expect(formatBytes(2_500_000)).toBe('2.5 MB');
    expect(formatBytes(-1)).toBe('?');
  });

  it('counts down in m:ss and stops at zero', () => {
    expect(formatCountdown(283_000)).toBe('4:43');
    expect(formatCountdown(59_001)).toBe('1:00');
    expect(formatCountdown(-5_000)).toBe('0:00');
  });

  it('gives certificate dates as plain calendar days', () => {
    expect(formatDate('2034-09-09T12:00:00.000Z')).toBe('2034-09-09');
    expect(formatDate('not a date')).toBe('?');
    expect(formatDate(undefined)).toBe('?');
  });

  it('tells how long ago something happened', () => {
    const now = Date.UTC(2026, 10, 23, 12);
    expect(formatRelative(now - 10_000, now)).toBe('just now');
    expect(formatRelative(now - 3 * 60_000, now)).toBe('3 minutes ago');
    expect(formatRelative(now - 2 * 86_400_000, now)).toBe('2 days ago');
  });
});
