/** Test helpers: a real server on a free port, real TCP clients, real databases. */
export { TestServer, PASSWORD, type TestServerOptions } from './server.js';
export { TestClient, type JsonEvent } from './client.js';
export { createTestDatabase, databaseKinds, mysqlAvailable, mysqlBaseUrl, type TestDatabaseKind } from './database.js';
export { ServerProcess, freePort, WHISKR_BIN } from './process.js';
export { TerminalServer, hasScript } from './terminal.js';
export { ManualClock } from './clock.js';
export { rendererWith, encodedFor } from './render.js';
export { eventually, nothing, databaseIdle } from './wait.js';
export { rawSocket, closed, TcpProxy } from './net.js';
export { pingMs, median } from './measure.js';
export { startChat, member, relogin, account, say, adminServerOptions, adminClient } from './chat.js';
export { TestCluster, NatsServer, NATS_URL } from './cluster.js';
