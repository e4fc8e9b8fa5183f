/** Reads the version an update was based on, from the body or an `If-Match` header. */
import { DomainException } from './domain.exception';

export function expectedVersion(bodyVersion: number | undefined, ifMatch: string | undefined): number {
  if (bodyVersion !== undefined) return bodyVersion;
  if (ifMatch !== undefined) {
    const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
    if (!match?.[1]) throw DomainException.invalidField('If-Match', 'format', 'If-Match must be a version number');
    return Number(match[1]);
  }
  throw new DomainException('VERSION_REQUIRED', 'An update must carry the version it was based on (field version or If-Match header)');
}

export function versionConflict(entity: string, id: number, current: number): DomainException {
  return new DomainException('VERSION_CONFLICT', `The ${entity} ${id} was changed by someone else (now version ${current}); reload and retry`, {
    currentVersion: current,
  });
}
