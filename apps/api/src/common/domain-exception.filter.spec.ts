import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainException } from './domain.exception';
import { toErrorBody } from './domain-exception.filter';

describe(toErrorBody.name, () => {
  it('should keep a domain error’s code, status and details', () => {
    const body = toErrorBody(DomainException.invalidField('serialNumber', 'isString', 'serialNumber must be text'));
    expect(body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Invalid input: serialNumber: serialNumber must be text',
      details: { fields: [{ field: 'serialNumber', code: 'isString', message: 'serialNumber must be text' }] },
    });
  });

  it.each([
    [new NotFoundException('Cannot GET /x'), 404, 'ROUTE_NOT_FOUND'],
    [new BadRequestException('Unexpected token'), 400, 'VALIDATION_FAILED'],
    [new PayloadTooLargeException(), 413, 'PAYLOAD_TOO_LARGE'],
  ])('should map framework errors to stable codes (%s)', (error, statusCode, code) => {
    expect(toErrorBody(error)).toMatchObject({ statusCode, code });
  });

  it.each([
    ['23505', 'CONFLICT'],
    ['SQLITE_CONSTRAINT_UNIQUE', 'CONFLICT'],
    ['23503', 'RECORD_IN_USE'],
    ['SQLITE_CONSTRAINT_FOREIGNKEY', 'RECORD_IN_USE'],
  ])('should answer a database constraint %s with 409 %s', (driverCode, code) => {
    const error = new QueryFailedError('INSERT …', [], Object.assign(new Error('constraint'), { code: driverCode }));
    expect(toErrorBody(error)).toMatchObject({ statusCode: 409, code });
  });

  it('should hide anything else behind a generic 500', () => {
    expect(toErrorBody(new Error('secret connection string'))).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' });
  });
});
