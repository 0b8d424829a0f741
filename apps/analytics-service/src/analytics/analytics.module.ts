import { Module } from '@nestjs/common';
import { TodoFactsProjection } from './projections/todo-facts.projection';
import { GetSummaryHttpController } from './queries/get-summary/get-summary.http.controller';

const projections = [TodoFactsProjection];
const controllers = [GetSummaryHttpController];

@Module({ controllers, providers: projections })
export class AnalyticsModule {}
