import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { HEALTH_POLICY_LIMITS, HEARTBEAT_LIMITS, type HealthPolicyRequest } from '@fleet/shared';
import { OptionalInt, Version } from '../common/dto-rules';

const VersionText = () =>
  applyDecorators(
    ApiPropertyOptional({ nullable: true, pattern: HEARTBEAT_LIMITS.versionPattern, description: 'Terminals reporting an older version are degraded (version_behind)' }),
    IsOptional(),
    ValidateIf((_o, value) => value !== null),
    IsString(),
    Matches(new RegExp(HEARTBEAT_LIMITS.versionPattern), { message: '$property must be a version such as 2.4.1' }),
  );

const limit = HEALTH_POLICY_LIMITS;

/** Every field optional; null clears it (the model's or the default value applies again). */
export class HealthPolicyDto implements HealthPolicyRequest {
  @OptionalInt(limit.offlineAfterSeconds.min, limit.offlineAfterSeconds.max)
  offlineAfterSeconds?: number | null;

  @OptionalInt(limit.batteryLowPct.min, limit.batteryLowPct.max)
  batteryLowPct?: number | null;

  @OptionalInt(limit.signalWeakDbm.min, limit.signalWeakDbm.max)
  signalWeakDbm?: number | null;

  @OptionalInt(limit.temperatureHighC.min, limit.temperatureHighC.max)
  temperatureHighC?: number | null;

  @OptionalInt(limit.errorRepeatCount.min, limit.errorRepeatCount.max)
  errorRepeatCount?: number | null;

  @VersionText()
  targetFirmwareVersion?: string | null;

  @VersionText()
  targetAppVersion?: string | null;

  @Version()
  version?: number;
}
