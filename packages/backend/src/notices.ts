import { randomUUID } from 'node:crypto';

import type { Notice } from '@danlu/contracts';

import type { EventBus } from './events.js';

/** Notices live for the session: shown until dismissed, not persisted. */
export class NoticeBoard {
  #notices: Notice[] = [];
  constructor(private readonly events: EventBus) {}

  add(notice: Omit<Notice, 'id' | 'createdAt'>): Notice {
    const full: Notice = { ...notice, id: randomUUID(), createdAt: new Date().toISOString() };
    this.#notices = [...this.#notices, full];
    this.events.emit('notices.changed', this.list());
    return full;
  }

  list(): Notice[] {
    return [...this.#notices];
  }

  dismiss(id: string): Notice[] {
    this.#notices = this.#notices.filter((notice) => notice.id !== id);
    this.events.emit('notices.changed', this.list());
    return this.list();
  }
}
