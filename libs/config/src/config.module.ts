import { DynamicModule, Module, Type } from '@nestjs/common';

/** Makes a service's validated configuration injectable everywhere, by its class. */
@Module({})
export class ServiceConfigModule {
  static forRoot<T extends object>(schema: Type<T>, config: T): DynamicModule {
    return { module: ServiceConfigModule, global: true, providers: [{ provide: schema, useValue: config }], exports: [schema] };
  }
}
