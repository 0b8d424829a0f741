import { Module } from '@nestjs/common';
import { SetStockHandler } from './commands/set-stock/set-stock.handler';
import { SetStockHttpController } from './commands/set-stock/set-stock.http.controller';
import { ReleaseInventoryHandler } from './handlers/release-inventory.handler';
import { ReserveInventoryHandler } from './handlers/reserve-inventory.handler';
import { StockRepository } from './infrastructure/stock.repository';
import { GetStockHandler } from './queries/get-stock/get-stock.handler';
import { GetStockHttpController } from './queries/get-stock/get-stock.http.controller';

const controllers = [SetStockHttpController, GetStockHttpController];
const commandHandlers = [SetStockHandler];
const queryHandlers = [GetStockHandler];
/** The inventory commands, addressed to this service alone. */
const messageHandlers = [ReserveInventoryHandler, ReleaseInventoryHandler];
const repositories = [StockRepository];

@Module({ controllers, providers: [...commandHandlers, ...queryHandlers, ...messageHandlers, ...repositories] })
export class StockModule {}
