import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import type { Tx } from '../database/transaction';
import { SessionEntity } from './session.entity';

@Injectable()
export class SessionsRepository {
  constructor(@InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>) {}

  findByTokenHash(tokenHash: string): Promise<SessionEntity | null> {
    return this.sessions.findOneBy({ tokenHash });
  }

  async insert(tx: Tx, session: Omit<SessionEntity, 'id'>): Promise<void> {
    await tx.insert(SessionEntity, session);
  }

  async revoke(tx: Tx, id: number, at: Date): Promise<void> {
    await tx.update(SessionEntity, { id, revokedAt: IsNull() }, { revokedAt: at });
  }

  async revokeAllOfUser(tx: Tx, userId: number, at: Date): Promise<void> {
    await tx.update(SessionEntity, { userId, revokedAt: IsNull() }, { revokedAt: at });
  }
}
