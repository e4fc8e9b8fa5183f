/** Starts the API (and the built dashboard) on one port. */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env, process.cwd(), __dirname);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), { logger: config.logLevels });
  app.set('trust proxy', 'loopback');
  configureApp(app);
  await app.listen(config.port, config.host);
  const where = config.database.kind === 'sqlite' ? config.database.path : `PostgreSQL (schema ${config.database.schema})`;
  new Logger('Fleet').log(`Listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} with ${where}${config.demo ? ', demo mode' : ''}`);
}

void bootstrap();
