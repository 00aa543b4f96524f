/** Compiles a parsed CQL query into a predicate and a sort over search documents. */
import { compareDate, resolveDate } from './dates.ts';
import type { CqlExpression, CqlField, CqlQuery, CqlValue } from './parser.ts';
import { type IndexedText, matchesText, parseTextQuery, type TextQuery } from './text-match.ts';
import { CqlSyntaxError } from './tokens.ts';

/** What search sees of a page, blog post or comment. */
export interface SearchDocument {
  id: string;
  type: 'page' | 'blogpost' | 'comment';
  title: string;
  spaceKey: string;
  labels: string[];
  created: number;
  lastModified: number;
  ancestors: string[];
  parentId?: string;
  creator: string;
  /** Title and body, indexed lazily (the 1 MB page is indexed once, not per search). */
  titleIndex(): IndexedText;
  bodyIndex(): IndexedText;
}

export interface EvaluationContext {
  now: number;
  currentAccountId: string;
}

type Predicate = (doc: SearchDocument) => boolean;

function literal(value: CqlValue, context: EvaluationContext): string {
  if (value.kind === 'literal') return value.value;
  if (value.name.toLowerCase() === 'currentuser') return context.currentAccountId;
  throw new CqlSyntaxError(`function ${value.name}() is not allowed here`);
}

function fieldValue(doc: SearchDocument, field: CqlField): string[] {
  switch (field) {
    case 'title':
      return [doc.title.toLowerCase()];
    case 'space':
      return [doc.spaceKey.toLowerCase()];
    case 'type':
      return [doc.type];
    case 'label':
      return doc.labels.map((l) => l.toLowerCase());
    case 'id':
      return [doc.id];
    case 'ancestor':
      return doc.ancestors;
    case 'parent':
      return doc.parentId ? [doc.parentId] : [];
    default:
      return [doc.creator.toLowerCase()];
  }
}

function compileClause(
  clause: Extract<CqlExpression, { kind: 'clause' }>,
  context: EvaluationContext,
): Predicate {
  const { field, operator, values } = clause;
  if (field === 'text' || (field === 'title' && (operator === '~' || operator === '!~'))) {
    const query: TextQuery = parseTextQuery(literal(values[0] as CqlValue, context));
    const positive: Predicate =
      field === 'title'
        ? (doc) => matchesText(query, doc.titleIndex())
        : (doc) => matchesText(query, doc.titleIndex()) || matchesText(query, doc.bodyIndex());
    return operator === '~' ? positive : (doc) => !positive(doc);
  }
  if (field === 'created' || field === 'lastmodified') {
    const target = resolveDate(values[0] as CqlValue, context.now);
    return (doc) => compareDate(field === 'created' ? doc.created : doc.lastModified, operator, target);
  }
  if (field === 'type') {
    for (const v of values) {
      const type = literal(v, context);
      if (!['page', 'blogpost', 'comment', 'attachment', 'space', 'user'].includes(type)) {
        throw new CqlSyntaxError(`unknown content type "${type}"`);
      }
    }
  }
  const wanted = values.map((v) => literal(v, context).toLowerCase());
  const positive: Predicate = (doc) => fieldValue(doc, field).some((value) => wanted.includes(value));
  return operator === '=' || operator === 'in' ? positive : (doc) => !positive(doc);
}

function compile(expression: CqlExpression, context: EvaluationContext): Predicate {
  switch (expression.kind) {
    case 'and': {
      const [left, right] = [compile(expression.left, context), compile(expression.right, context)];
      return (doc) => left(doc) && right(doc);
    }
    case 'or': {
      const [left, right] = [compile(expression.left, context), compile(expression.right, context)];
      return (doc) => left(doc) || right(doc);
    }
    case 'not': {
      const operand = compile(expression.operand, context);
      return (doc) => !operand(doc);
    }
    default:
      return compileClause(expression, context);
  }
}

const SORT_KEYS: Partial<Record<CqlField, (doc: SearchDocument) => number | string>> = {
  created: (d) => d.created,
  lastmodified: (d) => d.lastModified,
  title: (d) => d.title.toLowerCase(),
  id: (d) => Number(d.id),
  type: (d) => d.type,
  space: (d) => d.spaceKey,
};

/** Runs a query: the matching documents, ordered by `order by` or else by most recently modified. */
export function runCql(
  query: CqlQuery,
  documents: SearchDocument[],
  context: EvaluationContext,
): SearchDocument[] {
  const predicate = compile(query.where, context);
  const order = query.orderBy.length
    ? query.orderBy
    : [{ field: 'lastmodified' as const, direction: 'desc' as const }];
  const keys = order.map(({ field, direction }) => {
    const key = SORT_KEYS[field];
    if (!key) throw new CqlSyntaxError(`cannot order by ${field}`);
    return { key, sign: direction === 'desc' ? -1 : 1 };
  });
  return documents.filter(predicate).sort((a, b) => {
    for (const { key, sign } of keys) {
      const [ka, kb] = [key(a), key(b)];
      if (ka !== kb) return sign * (ka < kb ? -1 : 1);
    }
    return Number(a.id) - Number(b.id);
  });
}
