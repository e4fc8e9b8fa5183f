import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NotificationDeliveryResponse, Page, QueuedNotificationResponse, WebhookResponse, WebhookWithSecretResponse } from '@fleet/shared';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { expectedVersion } from '../common/versioning';
import { CreateWebhookDto, ListWebhookDeliveriesQueryDto, UpdateWebhookDto } from './notifications.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('notifications')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @RequirePermission('alerts:configure')
  @ApiOperation({ summary: 'All webhook endpoints (never their secrets)' })
  list(): Promise<WebhookResponse[]> {
    return this.webhooks.list();
  }

  @Get(':id')
  @RequirePermission('alerts:configure')
  @ApiOperation({ summary: 'One webhook endpoint (never its secret)' })
  get(@Param('id', ParseIdPipe) id: number): Promise<WebhookResponse> {
    return this.webhooks.describe(id);
  }

  @Post()
  @RequirePermission('alerts:configure')
  @ApiOperation({ summary: 'Add a webhook endpoint; the answer carries its signing secret, shown this once' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateWebhookDto): Promise<WebhookWithSecretResponse> {
    return this.webhooks.create(actor, body);
  }

  @Patch(':id')
  @RequirePermission('alerts:configure')
  @ApiOperation({ summary: 'Change a webhook endpoint (with its version, in the body or If-Match)' })
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() body: UpdateWebhookDto, @Headers('if-match') ifMatch?: string): Promise<WebhookResponse> {
    return this.webhooks.update(actor, id, body, expectedVersion(body.version, ifMatch));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('alerts:configure')
  @ApiOperation({ summary: 'Delete a webhook endpoint with its queued deliveries and delivery log' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.webhooks.remove(actor, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @RequirePermission('alerts:configure')
  @ApiOperation({ summary: 'Issue a new signing secret, shown this once; the old one stops signing at once' })
  rotateSecret(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<WebhookWithSecretResponse> {
    return this.webhooks.rotateSecret(actor, id);
  }

  @Get(':id/deliveries')
  @RequirePermission('alerts:configure')
  @ApiOperation({ summary: "The endpoint's delivery log, newest first: status, attempts, last error, times" })
  deliveries(@Param('id', ParseIdPipe) id: number, @Query() query: ListWebhookDeliveriesQueryDto): Promise<Page<NotificationDeliveryResponse>> {
    return this.webhooks.deliveries(id, query);
  }

  @Post(':id/test')
  @HttpCode(202)
  @RequirePermission('alerts:configure')
  @ApiOperation({ summary: 'Queue a `test` event to the endpoint (409 CONFLICT when it is disabled)' })
  test(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<QueuedNotificationResponse> {
    return this.webhooks.sendTest(actor, id);
  }
}
