/**
 * Database states from the console's responses: only a response of the console's own API counts (the URL is
 * checked), what it says is kept per database (bounded, newest wins) and announced when something changed.
 */
import { findDatabaseStatuses, isConsoleApiUrl, mightContainDatabaseStatus } from '../astra/database-status';
import type { PageResponse } from '../protocol/messages';
import { keepDatabaseStatuses } from '../store/writes-database-status';
import type { BackgroundServices } from './services';

export async function learnDatabaseStatus(services: Pick<BackgroundServices, 'db' | 'ports' | 'announce'>, response: PageResponse): Promise<number> {
  if (response.status !== 200 || !isConsoleApiUrl(response.url) || !mightContainDatabaseStatus(response.body)) return 0;
  const seen = findDatabaseStatuses(response.body);
  if (await keepDatabaseStatuses(await services.db(), seen, services.ports.now())) services.announce('databases');
  return seen.length;
}
