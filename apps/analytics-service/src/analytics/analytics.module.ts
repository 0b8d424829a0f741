import { GetMySummaryHandler } from './queries/get-my-summary/get-my-summary.handler';
import { GetMySummaryHttpController } from './queries/get-my-summary/get-my-summary.http.controller';
import { Module } from '@nestjs/common';
import { OrderFactsProjection } from './projections/order-facts.projection';
import { TodoFactsProjection } from './projections/todo-facts.projection';
import { GetSummaryHandler } from './queries/get-summary/get-summary.handler';
import { GetSummaryHttpController } from './queries/get-summary/get-summary.http.controller';

const projections = [TodoFactsProjection, OrderFactsProjection];
const controllers = [GetSummaryHttpController, GetMySummaryHttpController];
const queryHandlers = [GetSummaryHandler, GetMySummaryHandler];

@Module({ controllers, providers: [...projections, ...queryHandlers] })
export class AnalyticsModule {}
