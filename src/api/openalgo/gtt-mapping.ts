// OpenAlgo's GTT words ↔ the neutral GTT (domain/gtt.ts): trigger_type, triggerprice_sl/_tg, stoploss/target and
// expires_at live here. The rules between fields are checked in OpenAlgo's order and words (its schemas' post-load
// step), as field errors; what the instrument and the market decide is the core's (core/gtt-desk.ts).
import { IST_OFFSET_MS, istTimestamp } from '../../domain/clock.js';
import { type Decimal, ZERO, cmp, toNumber } from '../../domain/decimal.js';
import { InvalidOrder } from '../../domain/errors.js';
import type { Gtt, GttLeg, GttSpec } from '../../domain/gtt.js';
import type { Exchange } from '../../domain/instrument.js';
import type { Product } from '../../domain/order.js';
import type { GttEntry, ModifyGttBody, PlaceGttBody } from './gtt-schemas.js';
import { FieldError, wireDecimal, wireQuantity } from './mappers.js';

type GttTermsBody = Omit<PlaceGttBody, 'expires_at'> | ModifyGttBody;

/** Fields OpenAlgo reads `""` in as none: the OCO leg prices as null, the triggers as 0. */
const BLANK_AS_NULL = ['stoploss', 'target'] as const;
const BLANK_AS_ZERO = ['triggerprice_sl', 'triggerprice_tg'] as const;

/** Rewrites blanks in a GTT body before validation, as OpenAlgo's schemas do before loading (a preValidation step). */
export function readBlanks(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const fields = body as Record<string, unknown>;
  for (const key of BLANK_AS_NULL) if (fields[key] === '') fields[key] = null;
  for (const key of BLANK_AS_ZERO) if (fields[key] === '') fields[key] = 0;
}

/** The neutral GTT a place or modify body asks for; field errors in OpenAlgo's order and words. */
export function toGttSpec(accountId: string, body: GttTermsBody): GttSpec {
  const triggerType = body.trigger_type.toUpperCase();
  if (triggerType !== 'SINGLE' && triggerType !== 'OCO') throw new FieldError('trigger_type', "Must be 'SINGLE' or 'OCO'.");
  const legs = triggerType === 'OCO' ? ocoLegs(body) : singleLeg(body);
  return {
    accountId,
    strategy: body.strategy,
    triggerType: triggerType === 'OCO' ? 'two-leg' : 'single',
    symbol: body.symbol,
    exchange: body.exchange as Exchange,
    side: body.action.toUpperCase() === 'SELL' ? 'SELL' : 'BUY',
    quantity: wireQuantity(body.quantity, body.exchange),
    product: body.product as Product,
    orderType: body.pricetype,
    legs,
  };
}

function ocoLegs(body: GttTermsBody): GttLeg[] {
  const required = (field: 'triggerprice_sl' | 'stoploss' | 'triggerprice_tg' | 'target', message: string): Decimal => {
    const value = body[field];
    if (value === undefined || value === null || value === 0) throw new FieldError(field, message);
    return wireDecimal(field, value);
  };
  const stopTrigger = required('triggerprice_sl', 'Required for OCO (stoploss trigger).');
  const stopPrice = required('stoploss', 'Required for OCO (stoploss leg limit).');
  const targetTrigger = required('triggerprice_tg', 'Required for OCO (target trigger).');
  const targetPrice = required('target', 'Required for OCO (target leg limit).');
  if (cmp(stopTrigger, targetTrigger) >= 0) {
    throw new FieldError('triggerprice_sl', 'Stoploss trigger must be less than target trigger (triggerprice_tg).');
  }
  return [
    { direction: 'below', triggerPrice: stopTrigger, price: stopPrice },
    { direction: 'above', triggerPrice: targetTrigger, price: targetPrice },
  ];
}

function singleLeg(body: GttTermsBody): GttLeg[] {
  const stopTrigger = wireDecimal('triggerprice_sl', body.triggerprice_sl);
  const targetTrigger = wireDecimal('triggerprice_tg', body.triggerprice_tg);
  const hasStop = cmp(stopTrigger, ZERO) > 0;
  const hasTarget = cmp(targetTrigger, ZERO) > 0;
  if (!hasStop && !hasTarget) {
    throw new FieldError('triggerprice_sl', 'SINGLE GTT requires a positive triggerprice_sl or triggerprice_tg.');
  }
  // OpenAlgo's sandbox words: a SINGLE with both triggers is an OCO left unlabelled, and guessing would drop one.
  if (hasStop && hasTarget) {
    throw new InvalidOrder('A SINGLE GTT needs exactly one of triggerprice_sl or triggerprice_tg; an OCO needs both.');
  }
  const price = wireDecimal('price', body.price);
  return [hasStop ? { direction: 'below', triggerPrice: stopTrigger, price } : { direction: 'above', triggerPrice: targetTrigger, price }];
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * `expires_at` as epoch ms; undefined when absent or blank. IST unless the text carries an offset; a date alone is
 * the end of that day. Unreadable text is a field error (OpenAlgo's sandbox falls back to a year instead; a trader who
 * typed a date wants to hear that it was not understood).
 */
export function expiryOf(text: string | null | undefined): number | undefined {
  if (text === undefined || text === null || text.trim() === '') return undefined;
  const match = DATE_TIME.exec(text.trim());
  const invalid = () =>
    new FieldError('expires_at', 'Not a valid date or time: use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS (IST) or ISO 8601.');
  if (!match) throw invalid();
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const parts = [year, month, day, hour ?? '0', minute ?? '0', second ?? '0'].map(Number) as [number, number, number, number, number, number];
  const [y, mo, d, h, mi, s] = parts;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, Number((fraction ?? '0').padEnd(3, '0').slice(0, 3)));
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw invalid();
  }
  const offset = zone === undefined ? IST_OFFSET_MS : zoneOffset(zone);
  const instant = wall - offset;
  return hour === undefined ? instant + 86_400_000 : instant;
}

function zoneOffset(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** One entry of the GTT book, as OpenAlgo's broker mappers shape it. */
export function toGttEntry(gtt: Gtt): GttEntry {
  return {
    trigger_id: gtt.id,
    trigger_type: gtt.triggerType,
    status: 'active',
    symbol: gtt.symbol,
    exchange: gtt.exchange,
    trigger_prices: gtt.legs.map((leg) => toNumber(leg.triggerPrice)),
    last_price: toNumber(gtt.lastPrice),
    legs: gtt.legs.map((leg) => ({
      action: gtt.side,
      quantity: toNumber(gtt.quantity),
      price: toNumber(leg.price),
      pricetype: gtt.orderType,
      product: gtt.product as GttEntry['legs'][number]['product'],
    })),
    created_at: istTimestamp(gtt.createdAt),
    updated_at: istTimestamp(gtt.updatedAt),
    expires_at: istTimestamp(gtt.expiresAt),
  };
}
