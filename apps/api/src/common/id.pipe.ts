import { ParseIntPipe } from '@nestjs/common';
import { DomainException } from './domain.exception';

/** A path id parameter: an integer, or a 400 naming the parameter. */
export function parseId(name: string): ParseIntPipe {
  return new ParseIntPipe({ exceptionFactory: () => DomainException.invalidField(name, 'isInt', `${name} must be a positive integer`) });
}

export const ParseIdPipe = parseId('id');
