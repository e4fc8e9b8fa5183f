import { PartialType } from '@nestjs/swagger';
import type { CreateInsurancePolicyRequest, UpdateInsurancePolicyRequest } from '@fleet/shared';
import { CalendarDate, Currency, Money, OptionalText, RequiredText, Version } from '../common/dto-rules';

export class CreateInsurancePolicyDto implements CreateInsurancePolicyRequest {
  @RequiredText(120)
  insurer: string;

  @RequiredText(64, 'Unique policy number')
  policyNumber: string;

  @OptionalText(4000)
  coverage?: string | null;

  @Money()
  deductible?: number | null;

  @Money()
  premium?: number | null;

  @Currency()
  currency?: string;

  @CalendarDate({ required: true })
  startDate: string;

  @CalendarDate({ required: true, description: 'On or after startDate' })
  endDate: string;
}

export class UpdateInsurancePolicyDto extends PartialType(CreateInsurancePolicyDto) implements UpdateInsurancePolicyRequest {
  @Version()
  version?: number;
}
