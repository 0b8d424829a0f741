import { AuthenticatedUser, CurrentUser, isAdmin } from '@todo/auth';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import { ApiErrorResponses, HTTP_API_ERRORS, PageRequest } from '@todo/http-api';
import { ListNotificationsQuery } from './list-notifications.query';
import { NotificationResponse } from './notification.response';

@ApiTags('notifications')
@Controller('notifications')
export class ListNotificationsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'List notifications',
    description: 'The mails sent to the caller (every mail for an admin), newest first, each with its delivery status.',
  })
  @ApiOkResponse({ type: [NotificationResponse], description: 'A page of mails, newest first.' })
  @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED)
  list(@Query() request: PageRequest, @CurrentUser() user: AuthenticatedUser): Promise<NotificationResponse[]> {
    return this.queryBus.execute(new ListNotificationsQuery(request.limit, request.offset, isAdmin(user) ? undefined : user.id));
  }
}
