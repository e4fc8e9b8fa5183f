import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CreateGatewayRequest, DeviceCredentialResponse, IssuedCredentialResponse } from '@fleet/shared';
import { CurrentActor, FleetWide, RequirePermission, type Actor } from '../common/authorization';
import { RequiredReference, RequiredText } from '../common/dto-rules';
import { ParseIdPipe } from '../common/id.pipe';
import { DeviceCredentialsService } from './device-credentials.service';

export class CreateGatewayDto implements CreateGatewayRequest {
  @RequiredText(120, 'What posts with it, e.g. "Beijing TMS"')
  name: string;

  @RequiredReference('The region whose terminals (with sub-regions) it may report for')
  regionId: number;
}

@ApiTags('device credentials')
@Controller()
export class DeviceCredentialsController {
  constructor(private readonly credentials: DeviceCredentialsService) {}

  @Get('terminals/:id/credentials')
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: "A terminal's credentials, newest first (tokens are never shown again)" })
  listForTerminal(@Param('id', ParseIdPipe) id: number): Promise<DeviceCredentialResponse[]> {
    return this.credentials.listForTerminal(id);
  }

  @Post('terminals/:id/credentials')
  @RequirePermission('devices:manage')
  @ApiOperation({ summary: "Issues the terminal's credential, revoking the active one (rotation). The token is in this answer only." })
  issue(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<IssuedCredentialResponse> {
    return this.credentials.issueForTerminal(actor, id);
  }

  @Delete('terminals/:id/credentials')
  @HttpCode(204)
  @RequirePermission('devices:manage')
  @ApiOperation({ summary: "Revokes the terminal's active credential" })
  revoke(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.credentials.revokeForTerminal(actor, id);
  }

  @Get('gateways')
  @FleetWide()
  @RequirePermission('fleet:read')
  @ApiOperation({ summary: 'Gateway credentials (a TMS or concentrator posting batches for a region)' })
  listGateways(): Promise<DeviceCredentialResponse[]> {
    return this.credentials.listGateways();
  }

  @Post('gateways')
  @FleetWide()
  @RequirePermission('devices:manage')
  @ApiOperation({ summary: 'Issues a gateway credential for a region; the token is in this answer only' })
  createGateway(@CurrentActor() actor: Actor, @Body() body: CreateGatewayDto): Promise<IssuedCredentialResponse> {
    return this.credentials.createGateway(actor, body);
  }

  @Post('gateways/:id/rotate')
  @FleetWide()
  @RequirePermission('devices:manage')
  @ApiOperation({ summary: "Replaces a gateway's token; the old one stops working" })
  rotateGateway(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<IssuedCredentialResponse> {
    return this.credentials.rotateGateway(actor, id);
  }

  @Delete('gateways/:id')
  @FleetWide()
  @HttpCode(204)
  @RequirePermission('devices:manage')
  revokeGateway(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.credentials.revokeGateway(actor, id);
  }
}
