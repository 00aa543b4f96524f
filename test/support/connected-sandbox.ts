/**
 * The start of the MCP end-to-end tests: the sandbox servers (test/support/sandbox-servers.ts) with
 * one acme integration connected over HTTP, an agent token for it, and a REST tool call to compare
 * the MCP door's answers with.
 */
import { connectOverHttp } from './connect-over-http.ts';
import { type SandboxServers, startSandboxServers } from './sandbox-servers.ts';

export interface ConnectedSandbox {
  servers: SandboxServers;
  integrationId: string;
  agentToken: string;
  /** POST /api/v1/integrations/:id/tools/:name with the service token; the answer's JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: REST answers are read field by field in the tests
  restCall(name: string, args: Record<string, unknown>): Promise<any>;
}

export async function startConnectedSandbox(
  ownerId: string,
  name: string,
  /** Extra gateway settings (sandbox-servers.ts), e.g. a higher TOOL_CALLS_PER_MINUTE. */
  settings?: Record<string, string>,
): Promise<ConnectedSandbox> {
  const servers = await startSandboxServers({ autoApprove: true, sitePreset: 'single', settings });
  try {
    const integrationId = await connectOverHttp({
      gatewayUrl: servers.gatewayUrl,
      serviceToken: servers.serviceToken,
      ownerId,
      name,
    });
    const answer = await servers.serviceApi('POST', `/api/v1/integrations/${integrationId}/agent-tokens`, {});
    const { token } = (await answer.json()) as { token: string };
    return {
      servers,
      integrationId,
      agentToken: token,
      restCall: async (tool, args) =>
        (
          await servers.serviceApi('POST', `/api/v1/integrations/${integrationId}/tools/${tool}`, args)
        ).json(),
    };
  } catch (error) {
    await servers.close();
    throw error;
  }
}
