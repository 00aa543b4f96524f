/** Storage-format bodies of the seeded pages: headings, tables, code macros, links, panels. */

export const codeMacro = (language: string, code: string) =>
  `<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">${language}</ac:parameter><ac:plain-text-body><![CDATA[${code}]]></ac:plain-text-body></ac:structured-macro>`;

const pageLink = (title: string, text = title) =>
  `<ac:link><ri:page ri:content-title="${title}" /><ac:plain-text-link-body><![CDATA[${text}]]></ac:plain-text-link-body></ac:link>`;

const infoPanel = (text: string) =>
  `<ac:structured-macro ac:name="info" ac:schema-version="1"><ac:rich-text-body><p>${text}</p></ac:rich-text-body></ac:structured-macro>`;

export const ARCHITECTURE_BODY = [
  '<h1>Architecture Overview</h1>',
  '<p>The platform is split into an <strong>edge gateway</strong>, a set of stateless services and a shared event bus. ',
  `Read the ${pageLink('API Guidelines')} before adding an endpoint, and the ${pageLink('Deploy Runbook')} before shipping.</p>`,
  infoPanel('This page is the source of truth for service ownership.'),
  '<h2>Services</h2>',
  '<table><tbody><tr><th>Service</th><th>Owner</th><th>Language</th></tr>',
  '<tr><td>billing-api</td><td>Payments</td><td>TypeScript</td></tr>',
  '<tr><td>search-indexer</td><td>Discovery</td><td>Go</td></tr>',
  '<tr><td>notification-hub</td><td>Platform</td><td>Kotlin</td></tr></tbody></table>',
  '<h2>Request flow</h2>',
  '<ol><li>The edge gateway authenticates the caller.</li><li>It routes to a service by path.</li><li>Services publish events to the bus.</li></ol>',
  codeMacro(
    'typescript',
    'export async function route(req: Request): Promise<Response> {\n  const service = pickService(new URL(req.url).pathname);\n  return service.fetch(req);\n}',
  ),
  '<h3>Failure modes</h3>',
  '<p>When the event bus is unavailable, services buffer up to 10&nbsp;000 events in memory &amp; retry with backoff.</p>',
  '<p>External reference: <a href="https://martinfowler.com/articles/microservices.html">Microservices</a>.</p>',
].join('');

export const DEPLOY_RUNBOOK_BODY = [
  '<h1>Deploy Runbook</h1>',
  '<p>Deployments go out Tuesday to Thursday, never on Fridays.</p>',
  '<h2>Steps</h2>',
  '<ol><li>Announce the deploy in #releases.</li><li>Run the pipeline.</li><li>Watch the error-rate dashboard for 15 minutes.</li></ol>',
  codeMacro('bash', 'npm ci\nnpm run build\nnpx wrangler deploy --env production'),
  '<h2>Rollback</h2>',
  `<p>Use <code>wrangler rollback</code>; see ${pageLink('Incident Response')} if customers are affected.</p>`,
].join('');

export const INCIDENT_RESPONSE_BODY = [
  '<h1>Incident Response</h1>',
  '<p>Page the on-call engineer, open an incident channel, and assign a commander.</p>',
  '<table><tbody><tr><th>Severity</th><th>Response time</th></tr><tr><td>SEV1</td><td>5 minutes</td></tr><tr><td>SEV2</td><td>30 minutes</td></tr></tbody></table>',
  '<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body>Write the postmortem within 48 hours</ac:task-body></ac:task></ac:task-list>',
].join('');

export const API_GUIDELINES_BODY = [
  '<h1>API Guidelines</h1>',
  '<p>Every endpoint uses JSON, cursor pagination and RFC 9457 problem details for errors.</p>',
  '<h2>Naming</h2><ul><li>Plural nouns for collections</li><li>kebab-case paths</li></ul>',
  codeMacro('json', '{\n  "type": "https://example.com/problems/out-of-credit",\n  "status": 403\n}'),
].join('');

export const GLOSSARY_BODY = [
  '<h1>Glossary</h1>',
  '<p>A "golden path" is the paved road for new services. We say "blast radius" for the scope of a failure.</p>',
  '<p>The phrase "eventual consistency" appears in many design docs.</p>',
].join('');

export const RESTRICTED_BODY =
  '<p>Confidential: root cause of the credential leak, affected customers and remediation owners.</p>';

export const SALARY_BODY =
  '<table><tbody><tr><th>Level</th><th>Band</th></tr><tr><td>L3</td><td>confidential</td></tr></tbody></table>';

/** Grows a body to at least `minChars` by numbering sections, so slicing tests have known content. */
export function sizedBody(title: string, minChars: number): string {
  const parts = [`<h1>${title}</h1>`];
  let length = parts[0]?.length ?? 0;
  for (let section = 1; length < minChars; section++) {
    const part =
      `<h2>Section ${section}</h2>` +
      `<p>Section ${section} of ${title} discusses capacity planning, latency budgets and the trade-offs ` +
      `between consistency and availability. Each paragraph is deterministic so offsets are stable.</p>` +
      (section % 10 === 0 ? codeMacro('python', `def section_${section}():\n    return ${section}`) : '');
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}

export const simplePage = (title: string, text: string) => `<h1>${title}</h1><p>${text}</p>`;

/** Text outside the Basic Multilingual Plane (emoji are surrogate pairs in UTF-16) and CJK text. */
export const MULTILINGUAL_BODY = [
  '<h1>多言語ノート 🌏</h1>',
  '<p>リリース手順 🚀 デプロイ前にテストを実行する。</p>',
  '<p>发布说明 ✅ 🎉🎉 한국어 메모 👩‍💻</p>',
].join('');
