import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

@Injectable()
export class WebhooksRepository {
  constructor(@InjectRepository(WebhookEndpointEntity) private readonly endpoints: Repository<WebhookEndpointEntity>) {}

  list(): Promise<WebhookEndpointEntity[]> {
    return this.endpoints.find({ order: { name: 'ASC' } });
  }

  listEnabled(): Promise<WebhookEndpointEntity[]> {
    return this.endpoints.find({ where: { enabled: true }, order: { id: 'ASC' } });
  }

  find(id: number): Promise<WebhookEndpointEntity | null> {
    return this.endpoints.findOneBy({ id });
  }

  findByName(name: string): Promise<WebhookEndpointEntity | null> {
    return this.endpoints.findOneBy({ name });
  }
}
