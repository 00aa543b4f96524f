/** `npm run docs:tools`: writes docs/tools.md from the tool registry. */
import { writeFileSync } from 'node:fs';
import { renderToolsDoc } from './tools-doc.ts';

const path = new URL('../docs/tools.md', import.meta.url);
writeFileSync(path, renderToolsDoc());
console.log(`wrote ${path.pathname}`);
