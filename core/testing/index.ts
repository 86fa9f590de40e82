/** Test helpers: a real server on a free port, real TCP clients, real databases. */
export { TestServer, type TestServerOptions } from './server.js';
export { TestClient, type JsonEvent } from './client.js';
export { createTestDatabase, databaseKinds, mysqlAvailable, mysqlBaseUrl, type TestDatabaseKind } from './database.js';
export { ServerProcess, freePort, WHISKR_BIN } from './process.js';
export { ManualClock } from './clock.js';
export { rendererWith } from './render.js';
