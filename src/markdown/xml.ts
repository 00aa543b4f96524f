import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { Parser } from 'htmlparser2';

/**
 * Storage format as a light tree with source offsets. Storage is XHTML with HTML named entities
 * (`&nbsp;`), CDATA sections, `ac:`/`ri:` namespaced elements and self-closing tags, so it is read
 * in XML mode (an HTML5 parser turns CDATA into comments and mangles `<ri:page/>`), with entities
 * decoded here by HTML rules: XML mode alone would leave `&rsquo;` undecoded.
 * Every node knows the `[start, end)` of its source, which is what lets a write put back the exact
 * bytes of whatever Markdown cannot express.
 */

export interface ElementNode {
  type: 'element';
  name: string;
  attrs: Record<string, string>;
  children: StorageNode[];
  start: number;
  end: number;
  /** Where the opening tag ends and the closing tag starts: the source of the content between. */
  openEnd: number;
  closeStart: number;
}

export interface TextNode {
  type: 'text';
  /** Decoded text (entities resolved; a CDATA section's content as is). */
  text: string;
  cdata: boolean;
  start: number;
  end: number;
}

export type StorageNode = ElementNode | TextNode;

/** The top-level nodes of a storage body. Lenient, as Confluence's own reader: it never throws. */
export function parseStorage(source: string): StorageNode[] {
  const root: ElementNode = {
    type: 'element',
    name: '#root',
    attrs: {},
    children: [],
    start: 0,
    end: 0,
    openEnd: 0,
    closeStart: 0,
  };
  const stack: ElementNode[] = [root];
  let inCdata = false;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        // The parser hands each tag a fresh object: decode its values in place rather than copy it.
        for (const key in attribs) {
          const value = attribs[key] as string;
          if (value.includes('&')) attribs[key] = decodeHTMLAttribute(value);
        }
        const element: ElementNode = {
          type: 'element',
          name,
          attrs: attribs,
          children: [],
          start: parser.startIndex,
          end: parser.endIndex + 1,
          openEnd: parser.endIndex + 1,
          closeStart: parser.endIndex + 1,
        };
        (stack.at(-1) as ElementNode).children.push(element);
        stack.push(element);
      },
      onclosetag() {
        const element = stack.pop() as ElementNode;
        // A self-closing tag closes at its own start: it has no content and no closing tag.
        if (parser.startIndex > element.start)
          element.closeStart = Math.max(element.openEnd, parser.startIndex);
        element.end = Math.max(element.end, parser.endIndex + 1);
      },
      oncdatastart() {
        inCdata = true;
        (stack.at(-1) as ElementNode).children.push({
          type: 'text',
          text: '',
          cdata: true,
          start: parser.startIndex,
          end: parser.endIndex + 1,
        });
      },
      oncdataend() {
        inCdata = false;
        const node = (stack.at(-1) as ElementNode).children.at(-1) as TextNode;
        node.end = parser.endIndex + 1;
      },
      ontext(data) {
        const children = (stack.at(-1) as ElementNode).children;
        const last = children.at(-1);
        if (inCdata) {
          (last as TextNode).text += data;
          return;
        }
        if (last?.type === 'text' && !last.cdata && last.end === parser.startIndex) {
          last.text += decode(data);
          last.end = parser.endIndex + 1;
          return;
        }
        children.push({
          type: 'text',
          text: decode(data),
          cdata: false,
          start: parser.startIndex,
          end: parser.endIndex + 1,
        });
      },
    },
    { xmlMode: true, decodeEntities: false },
  );
  parser.end(source);
  return root.children;
}

function decode(text: string): string {
  return text.includes('&') ? decodeHTML(text) : text;
}

/** The text of a node and its descendants, CDATA included. */
export function textOf(node: StorageNode): string {
  if (node.type === 'text') return node.text;
  let text = '';
  for (const child of node.children) text += textOf(child);
  return text;
}

export function childElements(node: ElementNode, name?: string): ElementNode[] {
  return node.children.filter(
    (child): child is ElementNode => child.type === 'element' && (name === undefined || child.name === name),
  );
}

export function firstChild(node: ElementNode, name: string): ElementNode | undefined {
  return node.children.find((child): child is ElementNode => child.type === 'element' && child.name === name);
}

/** The value of a macro's `<ac:parameter ac:name="…">`, if it has one. */
export function macroParameter(macro: ElementNode, name: string): string | undefined {
  const parameter = childElements(macro, 'ac:parameter').find((p) => p.attrs['ac:name'] === name);
  return parameter === undefined ? undefined : textOf(parameter);
}

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/** A CDATA section holding `text`, split where the text itself contains `]]>`. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}
