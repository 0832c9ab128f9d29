/**
 * A tiny loader for in-page features, in the manner of Refined GitHub: each feature says on which
 * routes it applies and starts with an AbortSignal; a route change (the console is a single-page app)
 * or an extension reload aborts it, which removes every listener, observer and panel it added.
 * One feature failing never breaks another.
 */
export interface ConsoleFeature<Env> {
  id: string;
  applies(url: URL): boolean;
  init(env: Env, signal: AbortSignal): void;
}

export function runFeatures<Env>(features: ConsoleFeature<Env>[], env: Env, lifetime: AbortSignal) {
  const running = new Map<string, AbortController>();
  const update = (url: URL) => {
    for (const feature of features) {
      const active = running.get(feature.id);
      let applies = false;
      try {
        applies = feature.applies(url);
      } catch {
        applies = false;
      }
      if (applies && !active) {
        const controller = new AbortController();
        running.set(feature.id, controller);
        try {
          feature.init(env, controller.signal);
        } catch (error) {
          controller.abort();
          running.delete(feature.id);
          console.warn(`Astra Companion: feature ${feature.id} failed to start`, error instanceof Error ? error.name : '');
        }
      } else if (!applies && active) {
        active.abort();
        running.delete(feature.id);
      }
    }
  };
  lifetime.addEventListener('abort', () => {
    for (const controller of running.values()) controller.abort();
    running.clear();
  });
  return { update, isRunning: (id: string) => running.has(id) };
}
