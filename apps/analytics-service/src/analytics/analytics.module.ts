import { Module } from '@nestjs/common';
import { TodoFactsProjection } from './projections/todo-facts.projection';
import { GetSummaryHandler } from './queries/get-summary/get-summary.handler';
import { GetSummaryHttpController } from './queries/get-summary/get-summary.http.controller';

const projections = [TodoFactsProjection];
const controllers = [GetSummaryHttpController];
const queryHandlers = [GetSummaryHandler];

@Module({ controllers, providers: [...projections, ...queryHandlers] })
export class AnalyticsModule {}
