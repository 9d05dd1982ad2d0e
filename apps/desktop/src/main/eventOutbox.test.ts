import { describe, expect, it } from 'vitest';

import { EventOutbox } from './eventOutbox.js';

function outbox(limit?: number): { box: EventOutbox<number>; delivered: number[] } {
  const delivered: number[] = [];
  return { box: new EventOutbox<number>((item) => delivered.push(item), limit), delivered };
}

describe('EventOutbox', () => {
  it('holds events until the page has loaded, then delivers them in order', () => {
    const { box, delivered } = outbox();
    box.post(1);
    box.post(2);
    expect(delivered).toEqual([]);
    expect(box.pendingCount).toBe(2);
    box.open();
    expect(delivered).toEqual([1, 2]);
    box.post(3);
    expect(delivered).toEqual([1, 2, 3]);
    expect(box.pendingCount).toBe(0);
  });

  it('queues again while the page reloads', () => {
    const { box, delivered } = outbox();
    box.open();
    box.close();
    box.post(1);
    expect(delivered).toEqual([]);
    box.open();
    expect(delivered).toEqual([1]);
  });

  it('drops the oldest events beyond its limit and counts them', () => {
    const { box, delivered } = outbox(2);
    box.post(1);
    box.post(2);
    box.post(3);
    box.open();
    expect(delivered).toEqual([2, 3]);
    expect(box.droppedCount).toBe(1);
  });

  it('forgets everything once discarded', () => {
    const { box, delivered } = outbox();
    box.post(1);
    box.discard();
    box.post(2);
    expect(box.pendingCount).toBe(1);
    box.open();
    expect(delivered).toEqual([2]);
  });
});
