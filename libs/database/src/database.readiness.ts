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
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer within 2 s')), 2_000);
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
