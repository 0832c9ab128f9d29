import { describe, expect, it } from 'vitest';
import type { RecordSummary } from '@/utils/store/queries';
import { orderSummaries } from './use-list-window';

const s = (id: string, capturedAt: number, name: string, text: string, expiresAt?: number): RecordSummary<string> => ({ id, capturedAt, name, text, expiresAt, row: id });
/** Newest first, as the index holds them. */
const all = [s('b', 9, 'analytics\u0000eu', 'analytics\neu'), s('c', 5, 'orders\u0000ap-south-1', 'orders\nap-south-1', 30), s('a', 3, 'orders\u0000us-east1', 'orders\nus-east1', 10)];

describe('orderSummaries', () => {
  it('filters by the lower-case text and keeps newest first', () => {
    expect(orderSummaries(all, 'orders', 'newest').map((x) => x.id)).toEqual(['c', 'a']);
    expect(orderSummaries(all, '', 'newest').map((x) => x.id)).toEqual(['b', 'c', 'a']);
    expect(orderSummaries(all, 'nothing', 'newest')).toEqual([]);
  });

  it('orders by name then region, or by link expiry with unknown expiry last', () => {
    expect(orderSummaries(all, '', 'name').map((x) => x.id)).toEqual(['b', 'c', 'a']);
    expect(orderSummaries(all, '', 'expiry').map((x) => x.id)).toEqual(['c', 'a', 'b']);
  });

  it('leaves its input alone', () => {
    const copy = [...all];
    orderSummaries(all, '', 'expiry');
    expect(all).toEqual(copy);
  });
});
