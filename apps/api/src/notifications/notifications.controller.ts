import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NotificationDeliveryResponse, QueuedNotificationResponse } from '@fleet/shared';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { TestEmailDto } from './notifications.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post('test-email')
  @HttpCode(202)
  @RequirePermission('alerts:configure')
  @ApiOperation({ summary: 'Queue a test email to an address, to check the SMTP settings (409 CONFLICT when SMTP_URL is not set)' })
  testEmail(@CurrentActor() actor: Actor, @Body() body: TestEmailDto): Promise<QueuedNotificationResponse> {
    return this.notifications.sendTestEmail(actor, body.to);
  }

  @Get('deliveries/:id')
  @RequirePermission('alerts:configure')
  @ApiOperation({ summary: 'One delivery (e.g. a test email): status, attempts, last error, times' })
  delivery(@Param('id', ParseIdPipe) id: number): Promise<NotificationDeliveryResponse> {
    return this.notifications.describeDelivery(id);
  }
}
