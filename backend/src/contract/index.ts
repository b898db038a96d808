/**
 * The API's contract: request and response schemas and their types, shared by the backend's routes
 * and the Grafana plugin. The plugin imports it type-only (`import type`), so nothing of the
 * backend is bundled into module.js; its own value lists are checked against the unions here.
 */
export * from './annotations';
export * from './catalog';
export * from './errors';
export * from './events';
export * from './findings';
export * from './frames';
export * from './health';
export * from './overview';
export * from './query';
export * from './schema-parts';
export * from './time';
export * from './variables';
