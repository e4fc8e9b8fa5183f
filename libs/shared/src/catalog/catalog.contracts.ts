import type { TerminalCategory } from '../terminals/lifecycle';
import type { IsoDate, IsoDateTime, Versioned } from '../terminals/terminals.contracts';

export interface CreateModelRequest {
  name: string;
  manufacturer: string;
  category: TerminalCategory;
  spec?: string | null;
  listPrice?: number | null;
  currency?: string;
  defaultWarrantyMonths?: number;
  endOfLifeDate?: IsoDate | null;
}
export type UpdateModelRequest = Partial<CreateModelRequest> & Versioned;

export interface ModelResponse {
  id: number;
  name: string;
  manufacturer: string;
  category: TerminalCategory;
  spec: string | null;
  listPrice: number | null;
  currency: string;
  defaultWarrantyMonths: number;
  endOfLifeDate: IsoDate | null;
  terminalCount: number;
  version: number;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface CreateSupplierRequest {
  name: string;
  contactName?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  /** Agreed time to respond to a support request, in hours. */
  supportResponseHours?: number | null;
  supportSla?: string | null;
}
export type UpdateSupplierRequest = Partial<CreateSupplierRequest> & Versioned;

export interface SupplierResponse {
  id: number;
  name: string;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  supportResponseHours: number | null;
  supportSla: string | null;
  terminalCount: number;
  version: number;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface CreateInsurancePolicyRequest {
  insurer: string;
  policyNumber: string;
  coverage?: string | null;
  deductible?: number | null;
  premium?: number | null;
  currency?: string;
  startDate: IsoDate;
  endDate: IsoDate;
}
export type UpdateInsurancePolicyRequest = Partial<CreateInsurancePolicyRequest> & Versioned;

export interface InsurancePolicyResponse {
  id: number;
  insurer: string;
  policyNumber: string;
  coverage: string | null;
  deductible: number | null;
  premium: number | null;
  currency: string;
  startDate: IsoDate;
  endDate: IsoDate;
  terminalCount: number;
  version: number;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}
