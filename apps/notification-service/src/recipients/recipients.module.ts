import { Module } from '@nestjs/common';
import { RecipientsProjection } from './projections/recipients.projection';

const projections = [RecipientsProjection];

@Module({ providers: projections })
export class RecipientsModule {}
