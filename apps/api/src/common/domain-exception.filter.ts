/**
 * Maps every error to the stable body `{ statusCode, code, message, details }`.
 * Unknown errors become a generic 500; their stack goes to the log only.
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { ApiErrorBody, ErrorCode } from '@fleet/shared';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainException } from './domain.exception';

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'VALIDATION_FAILED',
  [HttpStatus.UNAUTHORIZED]: 'AUTH_REQUIRED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'ROUTE_NOT_FOUND',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'UNSUPPORTED_MEDIA_TYPE',
  [HttpStatus.TOO_MANY_REQUESTS]: 'TOO_MANY_REQUESTS',
};

function constraintCode(error: unknown): 'unique' | 'foreignKey' | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driverError = error.driverError as { code?: string } | undefined;
  const code = driverError?.code ?? '';
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'unique';
  if (code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreignKey';
  return null;
}

export function toErrorBody(error: unknown): ApiErrorBody {
  if (error instanceof DomainException) {
    return { statusCode: error.status, code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  }
  // A race past a service's own check still meets the database's constraint: answer 409, never 500.
  const driverCode = constraintCode(error);
  if (driverCode === 'unique') return { statusCode: 409, code: 'CONFLICT', message: 'The value is already used by another record' };
  if (driverCode === 'foreignKey') return { statusCode: 409, code: 'RECORD_IN_USE', message: 'The record is referenced by, or refers to, another record' };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = HTTP_CODES[status];
    if (code) {
      const response = error.getResponse();
      const message =
        typeof response === 'object' && response !== null && 'message' in response && typeof response.message === 'string'
          ? response.message
          : error.message;
      // The only 400s that are not our own validation come from parsing the body.
      if (code === 'VALIDATION_FAILED') return { statusCode: status, code, message, details: { fields: [{ field: 'body', code: 'malformed', message }] } };
      return { statusCode: status, code, message };
    }
  }
  return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' };
}

@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainExceptionFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const body = toErrorBody(error);
    // 503s (a full ingest queue) are expected under load; only real failures are logged with their stack.
    if (body.statusCode === 500) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) {
      response.end();
      return;
    }
    const retryAfter = body.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
    if (body.code === 'TOO_MANY_REQUESTS' && !response.getHeader('Retry-After')) response.setHeader('Retry-After', '60');
    // A route that declared another type (a label image) still answers its errors as JSON.
    response.status(body.statusCode).type('application/json').json(body);
  }
}
