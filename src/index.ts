import { app } from './app.ts';

export default {
  fetch: app.fetch,
  // The event queue's consumer: pushes received events to integrations' event destinations.
  // Loaded by the first batch: isolates that serve requests never evaluate it.
  queue: async (batch, env) => (await import('./event-delivery/consumer.ts')).deliverEvents(batch, env),
} satisfies ExportedHandler<Env, unknown>;
export { AuditLog } from './audit/log.ts';
export { EventOutbox } from './event-delivery/outbox.ts';
export { IntegrationLifecycle } from './integrations/lifecycle.ts';
export { QuotaLedger } from './quota/ledger.ts';
export { CallBudget } from './tools/call-budget.ts';
export { TokenRefresher } from './vault/token-refresher.ts';
export { WebhookInbox } from './webhooks/inbox.ts';
