import { Module } from '@nestjs/common';
import { OrderRepository } from '../orders/infrastructure/order.repository';
import { SagaDeadlineWatcher } from './deadlines/saga-deadline.watcher';
import { OrderSagaHandler } from './handlers/order-saga.handler';
import { SagaRepository } from './infrastructure/saga.repository';
import { OrderSagaOrchestrator } from './order-saga.orchestrator';
import { SagaMetrics } from './saga.metrics';

const messageHandlers = [OrderSagaHandler];
const workers = [SagaDeadlineWatcher];

/** The orchestrator of the order flow: its decisions, its rows, its deadlines, its metrics. */
@Module({
  providers: [OrderSagaOrchestrator, SagaRepository, OrderRepository, SagaMetrics, ...messageHandlers, ...workers],
  exports: [OrderSagaOrchestrator, SagaRepository, OrderRepository],
})
export class SagaModule {}
