/**
 * Stands in for the MCP SDK's runtime shim (`@modelcontextprotocol/server/_shims`) in the bundle, by
 * the [alias] in wrangler.toml. The SDK's own workerd shim builds every protocol schema when the
 * bundle loads (preloadSchemas), a cost each new isolate would pay before its first request, REST
 * ones included; here they are built on first use. It also brings a JSON Schema validator (40 KB)
 * that a server uses only to check what a user answers to an elicitation, which the gateway never
 * asks for: this one refuses to build a validator, so such a use would fail loudly.
 */
export class DefaultJsonSchemaValidator {
  getValidator(): never {
    throw new Error('JSON Schema validation is not available in this server (it never asks for user input).');
  }
}

function notSupported(): never {
  throw new Error('stdio transports do not run in a Worker.');
}

/** What the SDK's stdio transport reads; there is no stdio in a Worker. */
export const process = {
  get stdin(): never {
    return notSupported();
  },
  get stdout(): never {
    return notSupported();
  },
};
