/**
 * MCP clients as agent builders use them, each driven through its own public API: the OpenAI Agents
 * SDK (its MCP server tools as an agent would get them), LangChain's MultiServerMCPClient, the MCP
 * Inspector's CLI, the `mcp-remote` stdio bridge and Vercel's AI SDK (`@ai-sdk/mcp`). Each one lists
 * the tools and calls a tool by name with arguments, as `AgentClient`, so one scenario runs through
 * all of them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMCPClient } from '@ai-sdk/mcp';
import { MultiServerMCPClient } from '@langchain/mcp-adapters';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  Agent,
  type FunctionTool,
  getAllMcpTools,
  MCPServerStreamableHttp,
  RunContext,
} from '@openai/agents';
import { asSchema, generateText, type ToolSet } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';

export interface AgentClient {
  /** The names and input schemas the client offers its model. */
  listTools(): Promise<{ name: string; parameters: Record<string, unknown> }[]>;
  /** The tool's answer as the model would read it, parsed from its JSON text. */
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
  callTool(name: string, args: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

/**
 * The Agents SDK's tools for an agent: `getAllMcpTools` over an `MCPServerStreamableHttp`, with or
 * without `convertSchemasToStrict`, each tool invoked as a run invokes it (the model's arguments as
 * a JSON string). With strict schemas the model must send every property, null for those it leaves out.
 */
export async function agentsSdk(
  url: string,
  token: string,
  strict: boolean,
): Promise<AgentClient & { strictness(): Promise<boolean[]> }> {
  const server = new MCPServerStreamableHttp({
    url,
    name: 'confluence',
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await server.connect();
  const runContext = new RunContext();
  const agent = new Agent({ name: 'docs' });
  const tools = async () =>
    (await getAllMcpTools({
      mcpServers: [server],
      convertSchemasToStrict: strict,
      runContext,
      agent,
    })) as FunctionTool[];
  return {
    listTools: async () =>
      (await tools()).map((tool) => ({
        name: tool.name,
        parameters: tool.parameters as Record<string, unknown>,
      })),
    strictness: async () => (await tools()).map((tool) => tool.strict),
    callTool: async (name, args) => {
      const tool = (await tools()).find((candidate) => candidate.name === name);
      if (!tool) throw new Error(`the Agents SDK offers no tool ${name}`);
      const output = await tool.invoke(runContext, JSON.stringify(args));
      // One text item: what the model reads. A failure the SDK caught is a sentence instead.
      if (typeof output === 'string') throw new Error(`the Agents SDK answered: ${output}`);
      return JSON.parse((output as { text: string }).text);
    },
    close: () => server.close(),
  };
}

/** LangChain's MultiServerMCPClient over Streamable HTTP with a bearer header. */
export async function langChain(url: string, token: string): Promise<AgentClient> {
  const client = new MultiServerMCPClient({
    mcpServers: { confluence: { transport: 'http', url, headers: { authorization: `Bearer ${token}` } } },
  });
  const tools = await client.getTools();
  return {
    listTools: async () =>
      tools.map((tool) => ({
        name: tool.name,
        parameters: tool.schema as unknown as Record<string, unknown>,
      })),
    callTool: async (name, args) => {
      const tool = tools.find((candidate) => candidate.name === name);
      if (!tool) throw new Error(`LangChain offers no tool ${name}`);
      const output = await tool.invoke(args);
      // One text item comes back as that item; several as a list of them.
      const [item] = [output].flat() as ({ text?: string } | string)[];
      const text = typeof item === 'string' ? item : item?.text;
      if (text === undefined) throw new Error(`LangChain answered ${JSON.stringify(output).slice(0, 500)}`);
      return JSON.parse(text);
    },
    close: () => client.close(),
  };
}

/** A child process's exit code and output, without blocking this process (the emulator runs in it). */
function run(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const INSPECTOR = require.resolve('@modelcontextprotocol/inspector/clients/launcher/build/index.js');

/** The Inspector's CLI (`--cli URL --transport http --header …`), one process per method, as a script runs it. */
export function inspectorCli(
  url: string,
  token: string,
): AgentClient & {
  run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  const home = mkdtempSync(join(tmpdir(), 'inspector-'));
  const env = { HOME: home, MCP_CATALOG_PATH: join(home, 'mcp.json') };
  const inspect = (...args: string[]) =>
    run(
      process.execPath,
      [INSPECTOR, '--cli', url, '--transport', 'http', '--header', `Authorization: Bearer ${token}`, ...args],
      env,
    );
  const json = async (...args: string[]) => {
    const answer = await inspect(...args);
    if (answer.code !== 0)
      throw new Error(`inspector ${args.join(' ')}: exit ${answer.code}: ${answer.stderr}`);
    return JSON.parse(answer.stdout);
  };
  return {
    run: inspect,
    listTools: async () =>
      (await json('--method', 'tools/list')).tools.map(
        (tool: { name: string; inputSchema: Record<string, unknown> }) => ({
          name: tool.name,
          parameters: tool.inputSchema,
        }),
      ),
    callTool: async (name, args) => {
      const pairs = Object.entries(args).map(
        ([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
      );
      const result = await json('--method', 'tools/call', '--tool-name', name, '--tool-arg', ...pairs);
      if (result.isError) throw new Error(`inspector: ${name} failed: ${JSON.stringify(result.content)}`);
      return JSON.parse(result.content[0].text);
    },
    close: async () => rmSync(home, { recursive: true, force: true }),
  };
}

/** A free loopback port, for a callback listener the child opens itself. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const MCP_REMOTE = require.resolve('mcp-remote/dist/proxy.js');

/**
 * `mcp-remote URL [callback port] --transport http-only [--header …]`, the stdio bridge that clients
 * speaking only stdio (Claude Desktop and the like) run, with the v1 SDK client on its stdio side.
 * Without a header it signs in by OAuth: `signIn` gets the authorization URL it prints and plays the
 * user's browser. Its tokens go to a throwaway MCP_REMOTE_CONFIG_DIR.
 */
export async function mcpRemote(
  url: string,
  auth: { token: string } | { signIn: (authorizationUrl: URL, callbackPort: number) => Promise<void> },
): Promise<AgentClient & { log(): string }> {
  const configDir = mkdtempSync(join(tmpdir(), 'mcp-remote-'));
  const port = await freePort();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [
      MCP_REMOTE,
      url,
      String(port),
      '--transport',
      'http-only',
      ...('token' in auth ? ['--header', `Authorization: Bearer ${auth.token}`] : []),
    ],
    env: { ...(process.env as Record<string, string>), MCP_REMOTE_CONFIG_DIR: configDir, BROWSER: 'none' },
    stderr: 'pipe',
  });
  let log = '';
  let signingIn: Promise<void> | undefined;
  transport.stderr?.on('data', (chunk) => {
    log += chunk;
    const link = /Please authorize this client by visiting:\s+(\S+)/.exec(log)?.[1];
    if (link && !signingIn && 'signIn' in auth) signingIn = auth.signIn(new URL(link), port);
  });
  const client = new Client({ name: 'mcp-remote-test', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`mcp-remote did not connect: ${(error as Error).message}\n${log}`);
  }
  await signingIn;
  return {
    log: () => log,
    listTools: async () =>
      (await client.listTools()).tools.map((tool) => ({ name: tool.name, parameters: tool.inputSchema })),
    callTool: async (name, args) => {
      const result = await client.callTool({ name, arguments: args });
      const [first] = result.content as { type: string; text: string }[];
      if (result.isError) throw new Error(`mcp-remote: ${name} failed: ${first?.text}`);
      return JSON.parse(first?.text ?? 'null');
    },
    close: async () => {
      await client.close();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}

/**
 * Vercel's AI SDK: `createMCPClient` over Streamable HTTP with a bearer header, its tools handed to
 * `generateText` as an agent hands them. The model is the SDK's own mock, scripted to call one tool
 * with the given arguments; the SDK then checks the arguments against the tool's input schema, runs
 * the tool through the MCP client and gives back what the model would read.
 */
export async function vercelAiSdk(url: string, token: string): Promise<AgentClient> {
  const client = await createMCPClient({
    transport: { type: 'http', url, headers: { authorization: `Bearer ${token}` } },
  });
  const tools = (await client.tools()) as ToolSet;
  return {
    listTools: async () =>
      Promise.all(
        Object.entries(tools).map(async ([name, tool]) => ({
          name,
          parameters: (await asSchema(tool.inputSchema).jsonSchema) as Record<string, unknown>,
        })),
      ),
    callTool: async (name, args) => {
      const model = new MockLanguageModelV4({
        doGenerate: async () => ({
          content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: name, input: JSON.stringify(args) }],
          finishReason: { unified: 'tool-calls', raw: undefined },
          usage: {
            inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
            outputTokens: { total: 1, text: 1, reasoning: undefined },
          },
          warnings: [],
        }),
      });
      const step = await generateText({ model, tools, prompt: `Call ${name}.` });
      const failed = step.content.find((part) => part.type === 'tool-error');
      if (failed)
        throw new Error(`the AI SDK: ${name} failed: ${String((failed as { error: unknown }).error)}`);
      const [result] = step.toolResults;
      if (!result) throw new Error(`the AI SDK ran no tool for ${name}: ${JSON.stringify(step.content)}`);
      const output = result.output as { isError?: boolean; content: { type: string; text: string }[] };
      if (output.isError) throw new Error(`the AI SDK: ${name} failed: ${output.content[0]?.text}`);
      return JSON.parse(output.content[0]?.text ?? 'null');
    },
    close: () => client.close(),
  };
}
