import { Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { NotificationRepository } from '../../infrastructure/notification.repository';

@ApiTags('notifications')
@Controller('notifications')
export class ListNotificationsHttpController {
  constructor(private readonly notifications: NotificationRepository) {}

  @Get()
  @ApiQuery({ name: 'limit', required: false, schema: { default: 100, maximum: 500 } })
  @ApiQuery({ name: 'offset', required: false, schema: { default: 0 } })
  @ApiOkResponse({ description: 'Mails decided, newest first, with their delivery status (pending, sent, failed).' })
  async list(
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number,
    @Query('offset', new DefaultValuePipe(0), ParseIntPipe) offset: number,
  ) {
    const rows = await this.notifications.list(Math.min(Math.max(limit, 1), 500), Math.max(offset, 0));
    return rows.map((row) => ({
      ...row,
      id: Number(row.id),
      created_at: row.created_at.toISOString(),
      sent_at: row.sent_at?.toISOString() ?? null,
    }));
  }
}
