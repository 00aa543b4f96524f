import * as z from 'zod';

/**
 * An MCP client's authorization request, as the library parsed and checked it at `/authorize`
 * (client, exact redirect URI, PKCE, resource), carried through the connect flow in its session
 * until the user approves, and what the consent page shows about the client.
 */
export const McpAuthorization = z.object({
  request: z.object({
    responseType: z.string(),
    clientId: z.string(),
    redirectUri: z.string(),
    scope: z.array(z.string()),
    state: z.string(),
    codeChallenge: z.string().optional(),
    codeChallengeMethod: z.string().optional(),
    resource: z.string().optional(),
    issuer: z.string().optional(),
  }),
  client: z.object({
    /** Self-asserted unless `domain` is set (a Client ID Metadata Document's verified host). */
    name: z.string(),
    domain: z.string().optional(),
    /** Where the authorization code will be sent. */
    redirect_host: z.string(),
    redirect_is_loopback: z.boolean(),
  }),
});
export type McpAuthorization = z.infer<typeof McpAuthorization>;
