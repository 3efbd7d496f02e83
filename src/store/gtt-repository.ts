// Good-till-triggered orders on SQLite or PostgreSQL (Kysely): one row per GTT, its legs as JSON, prices and quantity
// as exact decimal text. Every change of state is an UPDATE conditional on `status = 'active'`, so that of a firing, a
// cancel, a modification and an expiry racing on one GTT exactly one wins, across gateways sharing the database.
import type { Kysely, Selectable } from 'kysely';
import { type Decimal, dec, toString } from '../domain/decimal.js';
import type { Gtt, GttLeg, GttMode, GttOrderType, GttSpec, GttStatus, GttTriggerType, TriggerDirection } from '../domain/gtt.js';
import type { Exchange } from '../domain/instrument.js';
import type { Product, Side } from '../domain/order.js';
import type { GttOrdersTable, Schema } from './schema.js';
import type { GttRepository } from './store.js';

type GttRow = Omit<Selectable<GttOrdersTable>, 'rowid'>;

const COLUMNS = [
  'id',
  'account_id',
  'mode',
  'strategy',
  'trigger_type',
  'symbol',
  'exchange',
  'side',
  'quantity',
  'product',
  'order_type',
  'legs',
  'last_price',
  'status',
  'created_at',
  'updated_at',
  'expires_at',
  'fired_leg',
  'fired_at',
  'attempted_at',
  'order_id',
  'reject_reason',
] as const;

interface StoredLeg {
  direction: TriggerDirection;
  trigger_price: string;
  price: string;
}

export class SqlGttRepository implements GttRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async insert(gtt: Gtt): Promise<void> {
    await this.db.insertInto('gtt_orders').values(toRow(gtt)).execute();
  }

  async findActive(accountId: string, mode: GttMode, id: string): Promise<Gtt | undefined> {
    const row = await this.active().where('account_id', '=', accountId).where('mode', '=', mode).where('id', '=', id).executeTakeFirst();
    return row && toGtt(row);
  }

  async listActive(accountId: string, mode: GttMode): Promise<Gtt[]> {
    const rows = await this.active()
      .where('account_id', '=', accountId)
      .where('mode', '=', mode)
      .orderBy('created_at', 'desc')
      .orderBy('rowid', 'desc')
      .execute();
    return rows.map(toGtt);
  }

  async listAllActive(): Promise<Gtt[]> {
    const rows = await this.active().orderBy('created_at').orderBy('rowid').execute();
    return rows.map(toGtt);
  }

  async listUnplaced(staleBefore: number): Promise<Gtt[]> {
    const rows = await this.db
      .selectFrom('gtt_orders')
      .select(COLUMNS)
      .where('status', '=', 'triggered')
      .where('order_id', 'is', null)
      .where('reject_reason', 'is', null)
      .where('attempted_at', '<=', staleBefore)
      .orderBy('fired_at')
      .orderBy('rowid')
      .execute();
    return rows.map(toGtt);
  }

  async replace(id: string, mode: GttMode, spec: GttSpec, lastPrice: Decimal, at: number): Promise<Gtt | undefined> {
    const terms = toRow({ ...spec, id, mode, lastPrice, status: 'active', createdAt: 0, updatedAt: at, expiresAt: 0 });
    const row = await this.db
      .updateTable('gtt_orders')
      .set({
        strategy: terms.strategy,
        trigger_type: terms.trigger_type,
        symbol: terms.symbol,
        exchange: terms.exchange,
        side: terms.side,
        quantity: terms.quantity,
        product: terms.product,
        order_type: terms.order_type,
        legs: terms.legs,
        last_price: terms.last_price,
        updated_at: at,
      })
      .where('id', '=', id)
      .where('account_id', '=', spec.accountId)
      .where('mode', '=', mode)
      .where('status', '=', 'active')
      .returning(COLUMNS)
      .executeTakeFirst();
    return row && toGtt(row);
  }

  async cancel(accountId: string, mode: GttMode, id: string, at: number): Promise<Gtt | undefined> {
    const row = await this.db
      .updateTable('gtt_orders')
      .set({ status: 'cancelled', updated_at: at })
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .where('mode', '=', mode)
      .where('status', '=', 'active')
      .returning(COLUMNS)
      .executeTakeFirst();
    return row && toGtt(row);
  }

  async expire(id: string, at: number): Promise<boolean> {
    return this.changeActive(id, { status: 'expired', updated_at: at });
  }

  async claim(id: string, legIndex: number, at: number): Promise<boolean> {
    return this.changeActive(id, { status: 'triggered', fired_leg: legIndex, fired_at: at, attempted_at: at, updated_at: at });
  }

  async claimRetry(id: string, at: number, staleBefore: number): Promise<boolean> {
    const result = await this.db
      .updateTable('gtt_orders')
      .set({ attempted_at: at })
      .where('id', '=', id)
      .where('status', '=', 'triggered')
      .where('order_id', 'is', null)
      .where('reject_reason', 'is', null)
      .where('attempted_at', '<=', staleBefore)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async recordOutcome(id: string, outcome: { orderId: string } | { rejectReason: string }): Promise<void> {
    const values = 'orderId' in outcome ? { order_id: outcome.orderId } : { reject_reason: outcome.rejectReason };
    await this.db.updateTable('gtt_orders').set(values).where('id', '=', id).where('status', '=', 'triggered').execute();
  }

  private active() {
    return this.db.selectFrom('gtt_orders').select(COLUMNS).where('status', '=', 'active');
  }

  private async changeActive(id: string, values: Partial<GttRow>): Promise<boolean> {
    const result = await this.db
      .updateTable('gtt_orders')
      .set(values)
      .where('id', '=', id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}

function toRow(gtt: Gtt): GttRow {
  const legs: StoredLeg[] = gtt.legs.map((leg) => ({
    direction: leg.direction,
    trigger_price: toString(leg.triggerPrice),
    price: toString(leg.price),
  }));
  return {
    id: gtt.id,
    account_id: gtt.accountId,
    mode: gtt.mode,
    strategy: gtt.strategy,
    trigger_type: gtt.triggerType,
    symbol: gtt.symbol,
    exchange: gtt.exchange,
    side: gtt.side,
    quantity: toString(gtt.quantity),
    product: gtt.product,
    order_type: gtt.orderType,
    legs: JSON.stringify(legs),
    last_price: toString(gtt.lastPrice),
    status: gtt.status,
    created_at: gtt.createdAt,
    updated_at: gtt.updatedAt,
    expires_at: gtt.expiresAt,
    fired_leg: gtt.firedLeg ?? null,
    fired_at: gtt.firedAt ?? null,
    attempted_at: gtt.firedAt ?? null,
    order_id: gtt.orderId ?? null,
    reject_reason: gtt.rejectReason ?? null,
  };
}

function toGtt(row: GttRow): Gtt {
  const legs: GttLeg[] = (JSON.parse(row.legs) as StoredLeg[]).map((leg) => ({
    direction: leg.direction,
    triggerPrice: dec(leg.trigger_price),
    price: dec(leg.price),
  }));
  return {
    id: row.id,
    accountId: row.account_id,
    mode: row.mode as GttMode,
    strategy: row.strategy,
    triggerType: row.trigger_type as GttTriggerType,
    symbol: row.symbol,
    exchange: row.exchange as Exchange,
    side: row.side as Side,
    quantity: dec(row.quantity),
    product: row.product as Product,
    orderType: row.order_type as GttOrderType,
    legs,
    lastPrice: dec(row.last_price),
    status: row.status as GttStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    ...(row.fired_leg === null ? {} : { firedLeg: row.fired_leg }),
    ...(row.fired_at === null ? {} : { firedAt: row.fired_at }),
    ...(row.order_id === null ? {} : { orderId: row.order_id }),
    ...(row.reject_reason === null ? {} : { rejectReason: row.reject_reason }),
  };
}
