import { Body, Controller, Get, Headers, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserResponse } from '@fleet/shared';
import { CurrentActor, RequirePermission, type Actor } from '../common/authorization';
import { ParseIdPipe } from '../common/id.pipe';
import { expectedVersion } from '../common/versioning';
import { CreateUserDto, UpdateUserDto } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'All users' })
  list(): Promise<UserResponse[]> {
    return this.users.list();
  }

  @Post()
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Create a user' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<UserResponse> {
    return this.users.create(actor, body);
  }

  @Patch(':id')
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Change a user: role, name, password; active=false disables and ends their sessions' })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateUserDto,
    @Headers('if-match') ifMatch?: string,
  ): Promise<UserResponse> {
    return this.users.update(actor, id, body, expectedVersion(body.version, ifMatch));
  }
}
