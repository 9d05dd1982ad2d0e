import { DanluError } from '@danlu/contracts';

/** Running long jobs by the caller's id, so `dataset.cancel` can stop them. */
export class JobRegistry {
  readonly #jobs = new Map<string, AbortController>();

  start(jobId: string): AbortController {
    if (this.#jobs.has(jobId))
      throw new DanluError('bad_request', `任务 ${jobId} 已在运行 / Job ${jobId} is already running`);
    const controller = new AbortController();
    this.#jobs.set(jobId, controller);
    return controller;
  }

  finish(jobId: string): void {
    this.#jobs.delete(jobId);
  }

  cancel(jobId: string): boolean {
    const controller = this.#jobs.get(jobId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const controller of this.#jobs.values()) controller.abort();
  }

  async run<T>(jobId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = this.start(jobId);
    try {
      return await work(controller.signal);
    } finally {
      this.finish(jobId);
    }
  }
}
