import { ParseIntPipe } from '@nestjs/common';
import { DomainException } from './domain.exception';

/** Path ids: positive integers, or a 400 naming the parameter. */
export const ParseIdPipe = new ParseIntPipe({
  exceptionFactory: () => DomainException.invalidField('id', 'isInt', 'id must be a positive integer'),
});
