/** Notifications: the outbox, email over SMTP, signed webhooks and their endpoints. */
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { RegionsModule } from '../regions/regions.module';
import { EmailSender } from './email-sender';
import { NotificationDeliveryEntity } from './notification-delivery.entity';
import { NotificationDispatchScheduler } from './notification-dispatch.scheduler';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookSender } from './webhook-sender';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpointEntity, NotificationDeliveryEntity]), AuditModule, RegionsModule],
  controllers: [WebhooksController, NotificationsController],
  providers: [NotificationsRepository, WebhooksRepository, NotificationsService, WebhooksService, EmailSender, WebhookSender, NotificationDispatchScheduler],
  exports: [NotificationsService, WebhooksService],
})
export class NotificationsModule {}
