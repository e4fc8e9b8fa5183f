import type { IsoDateTime, Versioned } from '../terminals/terminals.contracts';

/** A region or branch; regions form a tree (province → city → branch). */
export interface CreateRegionRequest {
  code: string;
  name: string;
  parentId?: number | null;
}
export type UpdateRegionRequest = Partial<Pick<CreateRegionRequest, 'name' | 'parentId'>> & Versioned;

export interface RegionResponse {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
  depth: number;
  terminalCount: number;
  version: number;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface CreateMerchantRequest {
  name: string;
  regionId: number;
  address?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
}
export type UpdateMerchantRequest = Partial<CreateMerchantRequest> & Versioned;

export interface MerchantResponse {
  id: number;
  name: string;
  region: { id: number; name: string; code: string };
  address: string | null;
  contactName: string | null;
  contactPhone: string | null;
  terminalCount: number;
  version: number;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface ListMerchantsQuery {
  regionId?: number;
  q?: string;
  page?: number;
  pageSize?: number;
}
