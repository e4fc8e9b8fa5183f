/** HTTP wiring shared by main.ts and the tests: prefix and versions, cookies, validation, errors, OpenAPI. */
import { VersioningType, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { requestScopeMiddleware } from './common/request-scope';
import { DomainExceptionFilter } from './common/domain-exception.filter';
import { createValidationPipe } from './common/validation';

export function configureApp(app: INestApplication): void {
  // A batch of 1,000 heartbeats is about 400 kB of JSON.
  (app as NestExpressApplication).useBodyParser('json', { limit: '1mb' });
  app.use(cookieParser());
  app.use(requestScopeMiddleware);
  app.setGlobalPrefix('api', { exclude: ['metrics'] });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new DomainExceptionFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Fleet API')
      .setDescription("A bank's POS terminal fleet: inventory, numbering, lifecycle, audit. Errors: { statusCode, code, message, details }.")
      .setVersion('1')
      .addBearerAuth()
      .addCookieAuth('fleet_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
}
