import { Injectable } from '@nestjs/common';
import { ReadinessCheck } from '@todo/observability';
import { DataSource } from 'typeorm';

@Injectable()
export class DatabaseReadiness extends ReadinessCheck {
  readonly name = 'postgres';

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async check(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
