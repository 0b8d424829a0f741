import { Module } from '@nestjs/common';
import { OrderFactsProjection } from './projections/order-facts.projection';
import { TodoFactsProjection } from './projections/todo-facts.projection';
import { GetSummaryHandler } from './queries/get-summary/get-summary.handler';
import { GetSummaryHttpController } from './queries/get-summary/get-summary.http.controller';

const projections = [TodoFactsProjection, OrderFactsProjection];
const controllers = [GetSummaryHttpController];
const queryHandlers = [GetSummaryHandler];

@Module({ controllers, providers: [...projections, ...queryHandlers] })
export class AnalyticsModule {}
