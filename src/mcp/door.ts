/**
 * What the MCP door needs from the SDK, gathered so that routes.ts can load it on the first MCP
 * request (a dynamic import: the bundle then evaluates the SDK's modules, some hundred zod schemas,
 * only when an isolate first serves MCP, never on a REST call's cold start).
 */
export { answerToolCall, directToolCall } from './direct-call.ts';
export { instructionsForRequest, mcpHandler } from './server.ts';
