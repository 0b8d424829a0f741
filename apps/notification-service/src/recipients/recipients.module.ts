import { Module } from '@nestjs/common';
import { UserRegisteredHandler } from './handlers/user-registered.handler';

const eventHandlers = [UserRegisteredHandler];

@Module({ providers: eventHandlers })
export class RecipientsModule {}
