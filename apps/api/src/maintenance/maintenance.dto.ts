/** Validation of the maintenance requests; each class implements its contract in @fleet/shared. */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsISO8601, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import {
  CHECKLIST_RESULTS,
  INTERVAL_UNITS,
  MAINTENANCE_KINDS,
  MAINTENANCE_LIMITS,
  MAINTENANCE_SCOPES,
  MAINTENANCE_TASK_STATUSES,
  MAX_INTERVAL_DAYS,
  SCHEDULE_ANCHORS,
  TERMINAL_CATEGORIES,
  USAGE_COUNTERS,
  type AssignMaintenanceTaskRequest,
  type ChecklistItemResult,
  type ChecklistResult,
  type CompleteMaintenanceTaskRequest,
  type CreateMaintenancePlanRequest,
  type IntervalUnit,
  type ListMaintenancePlansQuery,
  type ListMaintenanceTasksQuery,
  type MaintenanceCalendarQuery,
  type MaintenanceKind,
  type MaintenanceScope,
  type MaintenanceTaskStatus,
  type PostponeMaintenanceTaskRequest,
  type ScheduleAnchor,
  type SkipMaintenanceTaskRequest,
  type TerminalCategory,
  type UpdateMaintenancePlanRequest,
  type UsageCounter,
} from '@fleet/shared';
import { PageQueryDto } from '../common/api-dtos';
import { CalendarDate, OneOf, OptionalReference, OptionalText, RequiredText, Version } from '../common/dto-rules';

const L = MAINTENANCE_LIMITS;
/** May be absent, but not null: the field has no "unset" value. */
const IfPresent = () => ValidateIf((_object, value) => value !== undefined);
/** May be absent or null (null clears or means "none"). */
const IfSet = () => ValidateIf((_object, value) => value !== undefined && value !== null);
const trimEach = Transform(({ value }) => (Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item.trim() : item)) : value));
const toNumber = Type(() => Number);
const toBoolean = Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

const Choice = <T extends string>(values: readonly T[], description?: string) =>
  applyDecorators(ApiPropertyOptional({ enum: values, description }), IfPresent(), IsIn(values));

const NullableChoice = <T extends string>(values: readonly T[], description?: string) =>
  applyDecorators(ApiPropertyOptional({ enum: values, nullable: true, description }), IfSet(), IsIn(values));

const QueryId = (description?: string) => applyDecorators(ApiPropertyOptional({ description }), IfPresent(), toNumber, IsInt(), Min(1));

export class CreateMaintenancePlanDto implements CreateMaintenancePlanRequest {
  @RequiredText(L.nameLength, 'What the plan is called, e.g. "Quarterly inspection, Beijing"')
  name: string;

  @OneOf(MAINTENANCE_KINDS, true)
  kind: MaintenanceKind;

  @OptionalText(L.noteLength)
  description?: string | null;

  @ApiProperty({ type: [String], minItems: 1, maxItems: L.checklistItems, description: `Ordered item labels (each 1-${L.checklistItemLength} characters), answered when a task is completed` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(L.checklistItems)
  @trimEach
  @IsString({ each: true })
  @MinLength(1, { each: true, message: 'each checklist item must be text' })
  @MaxLength(L.checklistItemLength, { each: true, message: `each checklist item must be at most ${L.checklistItemLength} characters` })
  checklist: string[];

  @OneOf(MAINTENANCE_SCOPES, true)
  scope: MaintenanceScope;

  @OptionalReference('With scope=model')
  modelId?: number | null;

  @OptionalReference('With scope=region; its sub-regions are included')
  regionId?: number | null;

  @NullableChoice(TERMINAL_CATEGORIES, 'With scope=category')
  category?: TerminalCategory | null;

  @ApiPropertyOptional({ type: [Number], nullable: true, minItems: 1, maxItems: L.planTerminals, description: 'With scope=terminals' })
  @IfSet()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(L.planTerminals)
  @IsInt({ each: true })
  @Min(1, { each: true })
  terminalIds?: number[] | null;

  @ApiPropertyOptional({ format: 'date', example: '2026-01-15', description: 'The calendar’s origin; defaults to today' })
  @IfPresent()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: '$property must be a real calendar date' })
  startDate?: string;

  @ApiProperty({ enum: SCHEDULE_ANCHORS, description: 'fixed: on start + k × interval whatever happened; from_completion: an interval after the last completion' })
  @IsIn(SCHEDULE_ANCHORS)
  anchor: ScheduleAnchor;

  @ApiPropertyOptional({ nullable: true, minimum: 1, maximum: MAX_INTERVAL_DAYS, description: 'Every N intervalUnit; null for a usage-only plan' })
  @IfSet()
  @IsInt()
  @Min(1)
  @Max(MAX_INTERVAL_DAYS)
  interval?: number | null;

  @Choice(INTERVAL_UNITS, 'Default days')
  intervalUnit?: IntervalUnit;

  @NullableChoice(USAGE_COUNTERS, 'Also (or only) every usageEvery of this heartbeat counter, whichever comes first')
  usageCounter?: UsageCounter | null;

  @ApiPropertyOptional({ nullable: true, minimum: 1, maximum: L.maxUsageEvery })
  @IfSet()
  @IsInt()
  @Min(1)
  @Max(L.maxUsageEvery)
  usageEvery?: number | null;

  @ApiPropertyOptional({ minimum: 0, maximum: L.maxLeadDays, default: L.defaultLeadDays, description: 'Tasks are generated this many days before they fall due' })
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(L.maxLeadDays)
  leadDays?: number;

  @ApiPropertyOptional({ default: true, description: 'false stops the generation and cancels the open tasks' })
  @IfPresent()
  @IsBoolean()
  active?: boolean;
}

export class UpdateMaintenancePlanDto extends PartialType(CreateMaintenancePlanDto, { skipNullProperties: false }) implements UpdateMaintenancePlanRequest {
  @Version()
  version?: number;
}

export class ListMaintenancePlansQueryDto extends PageQueryDto implements ListMaintenancePlansQuery {
  @ApiPropertyOptional() @IfPresent() @toBoolean @IsBoolean() active?: boolean;
  @Choice(MAINTENANCE_KINDS) kind?: MaintenanceKind;
}

export class ListMaintenanceTasksQueryDto extends PageQueryDto implements ListMaintenanceTasksQuery {
  @ApiPropertyOptional({ description: 'One or more statuses, comma-separated', example: 'open' })
  @IfPresent()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value))
  @IsArray()
  @ArrayMaxSize(MAINTENANCE_TASK_STATUSES.length)
  @IsIn(MAINTENANCE_TASK_STATUSES, { each: true })
  status?: MaintenanceTaskStatus[];

  @ApiPropertyOptional({ description: 'Only open tasks whose effective due date has passed (true), or the others (false)' })
  @IfPresent()
  @toBoolean
  @IsBoolean()
  overdue?: boolean;

  @CalendarDate({ description: 'Effective due date on or after' }) dueFrom?: string;
  @CalendarDate({ description: 'Effective due date on or before' }) dueTo?: string;
  @QueryId('Includes sub-regions') regionId?: number;
  @QueryId() assigneeId?: number;
  @QueryId() planId?: number;
  @QueryId() terminalId?: number;
}

export class MaintenanceCalendarQueryDto implements MaintenanceCalendarQuery {
  @CalendarDate({ required: true }) from: string;
  @CalendarDate({ required: true, description: `At most ${L.calendarDays} days after from` }) to: string;
  @QueryId('Includes sub-regions') regionId?: number;
  @QueryId() assigneeId?: number;
  @QueryId() planId?: number;
}

class TaskStepDto {
  @Version()
  version?: number;
}

export class AssignMaintenanceTaskDto extends TaskStepDto implements AssignMaintenanceTaskRequest {
  @ApiProperty({ nullable: true, description: 'A user who may work on maintenance; null to unassign' })
  @IsDefined()
  @ValidateIf((_object, value) => value !== null)
  @IsInt()
  @Min(1)
  assigneeId: number | null;
}

export class ChecklistItemResultDto implements ChecklistItemResult {
  @RequiredText(L.checklistItemLength, 'The checklist item’s label')
  item: string;

  @OneOf(CHECKLIST_RESULTS, true)
  result: ChecklistResult;

  @OptionalText(1000)
  note?: string | null;
}

export class CompleteMaintenanceTaskDto extends TaskStepDto implements CompleteMaintenanceTaskRequest {
  @ApiProperty({ type: [ChecklistItemResultDto], description: 'One answer per checklist item' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(L.checklistItems)
  @ValidateNested({ each: true })
  @Type(() => ChecklistItemResultDto)
  results: ChecklistItemResultDto[];

  @OptionalText(L.noteLength)
  note?: string | null;
}

export class PostponeMaintenanceTaskDto extends TaskStepDto implements PostponeMaintenanceTaskRequest {
  @CalendarDate({ required: true, description: 'The new effective due date; the calendar point stays' })
  to: string;

  @RequiredText(L.reasonLength)
  reason: string;
}

export class SkipMaintenanceTaskDto extends TaskStepDto implements SkipMaintenanceTaskRequest {
  @RequiredText(L.reasonLength)
  reason: string;
}
