import type { HealthState } from '../heartbeats/heartbeats.contracts';
import type { PageQuery, SortDirection } from '../common/pagination';
import type { TerminalCategory, TerminalStatus } from './lifecycle';

/** Dates without time (purchase, warranty) travel as `YYYY-MM-DD`; instants as ISO 8601. */
export type IsoDate = string;
export type IsoDateTime = string;

export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
export const DEFAULT_CURRENCY = 'CNY';
export const MAX_PRICE = 10_000_000;

export interface CreateTerminalRequest {
  serialNumber: string;
  modelId: number;
  supplierId: number;
  /** Defaults to the model's category. */
  category?: TerminalCategory;
  regionId: number;
  merchantId?: number | null;
  custodian?: string | null;
  /** Initial state; defaults to `in_stock`. */
  status?: TerminalStatus;
  purchaseDate?: IsoDate | null;
  purchasePrice?: number | null;
  currency?: string;
  batch?: string | null;
  firmwareVersion?: string | null;
  appVersion?: string | null;
  /** Default to the purchase date and the model's default warranty length. */
  warrantyStart?: IsoDate | null;
  warrantyEnd?: IsoDate | null;
  warrantyTerms?: string | null;
  warrantyProvider?: string | null;
  insurancePolicyId?: number | null;
  notes?: string | null;
}

/** Every field may change except the asset number, the region (it is part of the number) and the status. */
export type UpdateTerminalRequest = Partial<Omit<CreateTerminalRequest, 'status' | 'regionId'>> & Versioned;

/**
 * Optimistic concurrency: an update names the version its author read, in the
 * body or as an `If-Match` header; a stale version is refused with 409.
 */
export interface Versioned {
  version?: number;
}

export interface TransitionTerminalRequest {
  to: TerminalStatus;
  reason?: string;
  version?: number;
}

export const TERMINAL_SORT_FIELDS = [
  'assetNumber',
  'serialNumber',
  'status',
  'purchaseDate',
  'warrantyEnd',
  'createdAt',
  'updatedAt',
] as const;
export type TerminalSortField = (typeof TERMINAL_SORT_FIELDS)[number];

export interface ListTerminalsQuery extends PageQuery {
  status?: TerminalStatus[];
  /** Live health (unknown = never reported). */
  health?: HealthState[];
  modelId?: number;
  supplierId?: number;
  /** Includes every sub-region. */
  regionId?: number;
  merchantId?: number;
  category?: TerminalCategory;
  insurancePolicyId?: number;
  /** Warranty ends between today and today + N days. */
  warrantyEndingWithinDays?: number;
  /** Matches the start of the asset number or serial, or part of the merchant name. */
  q?: string;
  sort?: TerminalSortField;
  order?: SortDirection;
}

export interface Ref {
  id: number;
  name: string;
}

export interface TerminalResponse {
  id: number;
  assetNumber: string;
  serialNumber: string;
  model: Ref;
  supplier: Ref;
  category: TerminalCategory;
  region: Ref & { code: string };
  merchant: Ref | null;
  custodian: string | null;
  status: TerminalStatus;
  purchaseDate: IsoDate | null;
  purchasePrice: number | null;
  currency: string;
  batch: string | null;
  firmwareVersion: string | null;
  appVersion: string | null;
  warrantyStart: IsoDate | null;
  warrantyEnd: IsoDate | null;
  warrantyTerms: string | null;
  warrantyProvider: string | null;
  insurancePolicy: (Ref & { policyNumber: string }) | null;
  notes: string | null;
  version: number;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

/** Days ahead for which the overview counts deployed terminals whose warranty ends. */
export const WARRANTY_WINDOWS = [30, 60, 90] as const;

/** Totals for the overview: terminals by lifecycle status, and deployed ones whose warranty ends within each window. */
export interface TerminalSummaryResponse {
  asOf: string;
  byStatus: Record<TerminalStatus, number>;
  warrantyEndingWithin: Record<(typeof WARRANTY_WINDOWS)[number], number>;
}
