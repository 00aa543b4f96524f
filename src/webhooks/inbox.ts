import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env.ts';

/** One object per integration: serialises webhook intake (deduplication and the delivery cap). */
export class WebhookInbox extends DurableObject<Env> {
  /** Forgets everything: the integration was deleted. */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
