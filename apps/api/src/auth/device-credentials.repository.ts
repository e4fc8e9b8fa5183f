import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import type { Tx } from '../database/transaction';
import { DeviceCredentialEntity } from './device-credential.entity';

@Injectable()
export class DeviceCredentialsRepository {
  constructor(@InjectRepository(DeviceCredentialEntity) private readonly credentials: Repository<DeviceCredentialEntity>) {}

  findByTokenHash(tokenHash: string): Promise<DeviceCredentialEntity | null> {
    return this.credentials.findOneBy({ tokenHash });
  }

  findById(id: number): Promise<DeviceCredentialEntity | null> {
    return this.credentials.findOneBy({ id });
  }

  listOfTerminal(terminalId: number): Promise<DeviceCredentialEntity[]> {
    return this.credentials.find({ where: { terminalId }, order: { id: 'DESC' } });
  }

  listGateways(): Promise<DeviceCredentialEntity[]> {
    return this.credentials.find({ where: { kind: 'gateway' }, order: { id: 'DESC' } });
  }

  activeOfTerminal(tx: Tx, terminalId: number): Promise<DeviceCredentialEntity[]> {
    return tx.find(DeviceCredentialEntity, { where: { terminalId, revokedAt: IsNull() } });
  }

  async insert(tx: Tx, credential: Omit<DeviceCredentialEntity, 'id'>): Promise<DeviceCredentialEntity> {
    return tx.save(DeviceCredentialEntity, tx.create(DeviceCredentialEntity, credential));
  }

  async revoke(tx: Tx, id: number, at: Date, by: string): Promise<boolean> {
    const result = await tx.update(DeviceCredentialEntity, { id, revokedAt: IsNull() }, { revokedAt: at, revokedBy: by });
    return (result.affected ?? 0) === 1;
  }
}
