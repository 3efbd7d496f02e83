// optionsymbol, optionchain and syntheticfuture: option symbols resolved by offset, and the chain around the money.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type ChainLeg, type ChainMarket, type LegGreeks, chainGreeks, optionChain, syntheticFuture } from '../../../core/option-chain.js';
import { type OptionRight, currentOption } from '../../../core/option-resolution.js';
import type { TradingService } from '../../../core/trading.js';
import { type Decimal, toNumber, toRoundedNumber } from '../../../domain/decimal.js';
import type { Exchange } from '../../../domain/instrument.js';
import {
  OPTION_VALIDATION_STYLE,
  OptionErrorResponse,
  OptionChainBody,
  OptionChainResponse,
  OptionSymbolBody,
  OptionSymbolResponse,
  SyntheticFutureBody,
  SyntheticFutureResponse,
} from '../option-schemas.js';
import { type OpenAlgoDeps, type V1RouteConfig, principalOf } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse } from '../schemas.js';

const read: V1RouteConfig = { style: OPTION_VALIDATION_STYLE, scope: 'read', group: 'api' };
const errors = { 400: OptionErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 429: RateLimitedResponse };

const n = (value: Decimal): number => toNumber(value);

/** The account's broker as the option use cases read the market. */
export function chainMarketOf(trading: TradingService, accountId: string): ChainMarket {
  return {
    quote: (symbol: string, exchange: Exchange) => trading.getQuote(accountId, symbol, exchange),
    depth: (symbol: string, exchange: Exchange) => trading.getDepth(accountId, symbol, exchange),
  };
}

const RESOLUTION_NOTE =
  'ATM is the listed strike of that expiry nearest the underlying\'s last price (the lower of two as near); ITMn/OTMn ' +
  'step n listed strikes away, CE in the money below ATM and PE above. The underlying is quoted on its own exchange ' +
  '(NFO and BFO map back to the index or share); MCX and CDS options are priced against the future the underlying ' +
  'names, or else the nearest listed future of exactly that product.';

export async function optionAnalyticsRoutes(fastify: FastifyInstance, { trading, instruments, clock }: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/optionsymbol',
    {
      config: read,
      schema: {
        summary: 'The option contract an offset from the money names now',
        description:
          `${RESOLUTION_NOTE} An offset beyond the listed strikes is a 400; no strikes for the expiry, or a resolved ` +
          'symbol that is not listed, a 404.',
        tags: ['options'],
        body: OptionSymbolBody,
        response: { 200: OptionSymbolResponse, ...errors },
      },
    },
    async (request) => {
      const body = request.body;
      const market = chainMarketOf(trading, principalOf(request).accountId);
      const { option, underlyingPrice } = await currentOption(
        instruments,
        market.quote,
        { underlying: body.underlying, exchange: body.exchange, expiry: body.expiry_date, strikeInterval: body.strike_int ?? undefined },
        { offset: body.offset, right: body.option_type.toUpperCase() as OptionRight },
      );
      const { instrument } = option;
      return {
        status: 'success' as const,
        symbol: instrument.symbol,
        exchange: instrument.exchange,
        lotsize: n(instrument.lotSize),
        tick_size: n(instrument.tickSize),
        freeze_qty: n(instrument.freezeQuantity),
        underlying_ltp: n(underlyingPrice),
      };
    },
  );

  app.post(
    '/optionchain',
    {
      config: read,
      schema: {
        summary: 'The option chain of one expiry, with quotes',
        description:
          `${RESOLUTION_NOTE} Each row holds a strike's CE and PE (null when not listed), labelled from the money for ` +
          'their right, with quote, sizes at the touch, volume and OI. `strike_count` keeps that many strikes on each ' +
          'side of ATM. `with_greeks` adds Black-76 implied volatility (percent), delta, gamma, theta (per day) and vega ' +
          '(per 1 % volatility) to every priced leg, priced off the forward the ATM pair implies (strike + call − put), ' +
          'with time from now to the expiry cut-off (15:30 IST; MCX 23:30, CDS 12:30).',
        tags: ['options'],
        body: OptionChainBody,
        response: { 200: OptionChainResponse, ...errors },
      },
    },
    async (request) => {
      const body = request.body;
      const chain = await optionChain(instruments, chainMarketOf(trading, principalOf(request).accountId), {
        underlying: body.underlying,
        exchange: body.exchange,
        expiry: body.expiry_date,
        strikeCount: body.strike_count ?? undefined,
      });
      const now = clock.now();
      const greeks = body.with_greeks ? chainGreeks(chain, body.interest_rate ?? 0, now) : undefined;
      return {
        status: 'success' as const,
        underlying: chain.reference.base,
        underlying_symbol: chain.reference.symbol,
        underlying_exchange: chain.reference.exchange,
        underlying_ltp: n(chain.underlying.lastPrice),
        underlying_prev_close: n(chain.underlying.previousClose),
        expiry_date: chain.expiry,
        expiry_ts: Math.floor(chain.expiresAt / 1000),
        server_ts: Math.floor(now / 1000),
        atm_strike: n(chain.atmStrike),
        quotes_included: true,
        greeks_included: greeks !== undefined,
        forward_price: greeks ? toRoundedNumber(greeks.forward, 4) : null,
        chain: chain.rows.map((row) => ({
          strike: n(row.strike),
          ce: row.ce ? { ...legData(row.ce), ...greekData(greeks?.of(row.ce)) } : null,
          pe: row.pe ? { ...legData(row.pe), ...greekData(greeks?.of(row.pe)) } : null,
        })),
      };
    },
  );

  app.post(
    '/syntheticfuture',
    {
      config: read,
      schema: {
        summary: 'The synthetic future price of an expiry',
        description:
          'ATM strike + ATM call premium − ATM put premium, both read against one underlying price; places nothing. ' +
          RESOLUTION_NOTE,
        tags: ['options'],
        body: SyntheticFutureBody,
        response: { 200: SyntheticFutureResponse, ...errors },
      },
    },
    async (request) => {
      const body = request.body;
      const synthetic = await syntheticFuture(instruments, chainMarketOf(trading, principalOf(request).accountId), {
        underlying: body.underlying,
        exchange: body.exchange,
        expiry: body.expiry_date,
      });
      return {
        status: 'success' as const,
        underlying: body.underlying,
        underlying_ltp: n(synthetic.underlying.lastPrice),
        expiry: body.expiry_date,
        atm_strike: n(synthetic.atmStrike),
        synthetic_future_price: toRoundedNumber(synthetic.price, 2),
      };
    },
  );
}

function legData(leg: ChainLeg) {
  const quote = leg.market;
  const zero = 0;
  return {
    symbol: leg.instrument.symbol,
    label: leg.label,
    ltp: quote ? n(quote.lastPrice) : zero,
    bid: quote ? n(quote.bid) : zero,
    ask: quote ? n(quote.ask) : zero,
    bid_qty: quote?.bids[0] ? n(quote.bids[0].quantity) : zero,
    ask_qty: quote?.asks[0] ? n(quote.asks[0].quantity) : zero,
    open: quote ? n(quote.open) : zero,
    high: quote ? n(quote.high) : zero,
    low: quote ? n(quote.low) : zero,
    prev_close: quote ? n(quote.previousClose) : zero,
    volume: quote ? n(quote.volume) : zero,
    oi: quote ? n(quote.openInterest) : zero,
    lotsize: n(leg.instrument.lotSize),
    tick_size: n(leg.instrument.tickSize),
  };
}

function greekData(greeks: LegGreeks | undefined) {
  if (!greeks) return {};
  const { impliedVolatility, delta, gamma, theta, vega } = greeks;
  return { implied_volatility: impliedVolatility, delta, gamma, theta, vega };
}
