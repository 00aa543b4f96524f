import type { HttpBindings } from '@hono/node-server';
import type { ContentStore } from './confluence/content-store.ts';
import type { TokenFamily } from './oauth/grants.ts';
import type { Site } from './sites.ts';

/** Hono context variables. `rawBody` is read once by the request log so every later reader shares it. */
export type EmulatorEnv = {
  /** The Node request and response under @hono/node-server (absent when the app is called directly). */
  Bindings: Partial<HttpBindings>;
  Variables: {
    rawBody: string;
    /** The same body as bytes (multipart uploads carry binary files). */
    rawBytes: Uint8Array;
    /** Set on Confluence routes once the caller is authorised for the site. */
    site: Site;
    store: ContentStore;
    family: TokenFamily;
    /** The virtual clock's time when the request arrived (ISO 8601). */
    now: string;
  };
};
