// The bare proxy (bare-proxy.js) under the gateway's own configuration (wrangler.toml: KV, Durable
// Objects, queue), so that a cold start compared with the gateway's differs only in the code the
// isolate loads and runs. workerd wants every Durable Object class the configuration names: these
// hold nothing. One self-contained module, as the gateway's bundle is.
import { DurableObject } from 'cloudflare:workers';

export class TokenRefresher extends DurableObject {}
export class WebhookInbox extends DurableObject {}
export class EventOutbox extends DurableObject {}
export class IntegrationLifecycle extends DurableObject {}
export class CallBudget extends DurableObject {}

export default {
  fetch(request, env) {
    const url = new URL(request.url);
    return fetch(new Request(`${env.UPSTREAM}${url.pathname}${url.search}`, request));
  },
  queue() {},
};
