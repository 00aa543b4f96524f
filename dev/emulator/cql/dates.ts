/**
 * CQL date values: "2026-01-31", "2026/01/31", either with " HH:mm", and the functions
 * now("-7d"), startOfDay(), startOfWeek(), startOfMonth(), startOfYear() and their endOf…
 * twins, each with an optional offset ("-1w", "+2d", "-3h", "-15m", "-1M", "-1y").
 */
import type { CqlValue } from './parser.ts';
import { CqlSyntaxError } from './tokens.ts';

const DAY = 24 * 3600 * 1000;

/** A day-precision literal matches the whole day with `=`, so the caller needs to know. */
export interface CqlInstant {
  time: number;
  dayOnly: boolean;
}

function applyOffset(base: Date, offset: string | undefined): Date {
  if (!offset) return base;
  const match = offset.trim().match(/^([+-]?)(\d+)([yMwdhm])$/);
  if (!match) throw new CqlSyntaxError(`bad date offset "${offset}"`);
  const sign = match[1] === '-' ? -1 : 1;
  const amount = sign * Number(match[2]);
  const date = new Date(base);
  switch (match[3]) {
    case 'y':
      date.setUTCFullYear(date.getUTCFullYear() + amount);
      break;
    case 'M':
      date.setUTCMonth(date.getUTCMonth() + amount);
      break;
    case 'w':
      date.setTime(date.getTime() + amount * 7 * DAY);
      break;
    case 'd':
      date.setTime(date.getTime() + amount * DAY);
      break;
    case 'h':
      date.setTime(date.getTime() + amount * 3600 * 1000);
      break;
    default:
      date.setTime(date.getTime() + amount * 60 * 1000);
  }
  return date;
}

function startOf(unit: 'day' | 'week' | 'month' | 'year', now: Date): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (unit === 'week') d.setUTCDate(d.getUTCDate() - d.getUTCDay());
  if (unit === 'month') d.setUTCDate(1);
  if (unit === 'year') d.setUTCMonth(0, 1);
  return d;
}

function endOf(unit: 'day' | 'week' | 'month' | 'year', now: Date): Date {
  const next = startOf(unit, now);
  if (unit === 'day') next.setUTCDate(next.getUTCDate() + 1);
  if (unit === 'week') next.setUTCDate(next.getUTCDate() + 7);
  if (unit === 'month') next.setUTCMonth(next.getUTCMonth() + 1);
  if (unit === 'year') next.setUTCFullYear(next.getUTCFullYear() + 1);
  return new Date(next.getTime() - 1);
}

/** Resolves a date value against the emulator's (virtual) now, in UTC. */
export function resolveDate(value: CqlValue, nowMs: number): CqlInstant {
  const now = new Date(nowMs);
  if (value.kind === 'function') {
    const name = value.name.toLowerCase();
    const offset = value.args[0];
    if (name === 'now') return { time: applyOffset(now, offset).getTime(), dayOnly: false };
    const match = name.match(/^(startof|endof)(day|week|month|year)$/);
    if (!match) throw new CqlSyntaxError(`unknown date function ${value.name}()`);
    const unit = match[2] as 'day' | 'week' | 'month' | 'year';
    const base = match[1] === 'startof' ? startOf(unit, now) : endOf(unit, now);
    return { time: applyOffset(base, offset).getTime(), dayOnly: false };
  }
  const match = value.value.match(/^(\d{4})[-/](\d{2})[-/](\d{2})(?:\s+(\d{2}):(\d{2}))?$/);
  if (!match) throw new CqlSyntaxError(`bad date "${value.value}"`);
  const [, y, mo, d, h, mi] = match;
  const time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0));
  return { time, dayOnly: h === undefined };
}

/** Compares a document's timestamp with a CQL date. */
export function compareDate(actual: number, operator: string, target: CqlInstant): boolean {
  if (target.dayOnly && (operator === '=' || operator === '!=')) {
    const sameDay = actual >= target.time && actual < target.time + DAY;
    return operator === '=' ? sameDay : !sameDay;
  }
  switch (operator) {
    case '=':
      return actual === target.time;
    case '!=':
      return actual !== target.time;
    case '<':
      return actual < target.time;
    case '<=':
      return actual <= target.time;
    case '>':
      return actual > target.time;
    default:
      return actual >= target.time;
  }
}
