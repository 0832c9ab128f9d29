/**
 * The background's answer to every request of the message protocol: one table, request type -> who may send it
 * and its handler, filled by one file per area. The table's type lists every request in utils/protocol/messages.ts,
 * so a request without a handler does not compile. Senders are checked before any handler runs.
 */
import { CONSOLE_ORIGIN } from '../astra/hosts';
import type { BackgroundRequestType } from '../protocol/messages';
import { isRecord } from '../shared/guards';
import { backupRoutes } from './backup-requests';
import { bundleRoutes } from './bundle-requests';
import { captureRoutes } from './capture-requests';
import type { Origin, Route, SenderInfo } from './request-table';
import type { BackgroundServices } from './services';
import { tokenRoutes } from './token-requests';
import { warningRoutes } from './warning-requests';

export type { SenderInfo } from './request-table';

const ping: Route<'ping'> = {
  from: ['console', 'extension', 'storage'],
  refused: { ok: true, version: '' },
  handle: async (_request, _sender, services) => ({ ok: true, version: services.ports.version }),
};

const TABLE: { [K in BackgroundRequestType]: Route<K> } = {
  ping,
  ...captureRoutes,
  ...bundleRoutes,
  ...tokenRoutes,
  ...backupRoutes,
  ...warningRoutes,
};

function originOf(sender: SenderInfo, services: BackgroundServices): Origin | undefined {
  if (typeof sender.url !== 'string') return undefined;
  // Content scripts report the web page's URL, never ours: only the extension's own pages carry its origin.
  if (sender.url.startsWith(services.ports.extensionOrigin)) return 'extension';
  if (sender.url.startsWith(`${CONSOLE_ORIGIN}/`)) return 'console';
  try {
    if (services.trustedHosts.includes(new URL(sender.url).hostname)) return 'storage';
  } catch {
    return undefined;
  }
  return undefined;
}

export function createRequestHandler(services: BackgroundServices) {
  return async function handleRequest(message: unknown, sender: SenderInfo): Promise<unknown> {
    if (sender.id !== services.ports.extensionId) return undefined;
    if (!isRecord(message) || typeof message.type !== 'string' || !Object.hasOwn(TABLE, message.type)) return undefined;
    const route = TABLE[message.type as BackgroundRequestType] as Route<BackgroundRequestType>;
    const origin = originOf(sender, services);
    if (!origin || !route.from.includes(origin)) return route.refused;
    return route.handle(message as never, sender, services);
  };
}
