/**
 * What to say when Astra Companion's own fetch of a captured link failed: cut off mid-body (storage closed the
 * connection early) or no answer at all. Never a bare error name like "TypeError": say what happened.
 */
import type { Problem } from '../shared/result';

export interface FetchFailure {
  /** The error's name, kept for the log only. */
  message: string;
  /** Set when storage answered and the body then stopped short. */
  cut?: { received: number; announced?: number };
}

export type FetchFailureCode = 'fetch-cut' | 'fetch-failed';

const number = (n: number) => n.toLocaleString('en-US');

export function fetchFailureProblem(failure: FetchFailure): Problem<FetchFailureCode> {
  if (failure.cut) {
    const { received, announced } = failure.cut;
    const amount = announced ? `${number(received)} of ${number(announced)} bytes arrived` : `only ${number(received)} bytes arrived`;
    return {
      code: 'fetch-cut',
      message: `The bundle download was cut off: ${amount}, then storage closed the connection.`,
      hint: 'A link works many times until it expires: while it is valid, check it again or download it again; after that, click Get Bundle for a new link.',
    };
  }
  return {
    code: 'fetch-failed',
    message: 'Astra Companion could not reach storage to check this bundle: no answer came back.',
    hint: 'Check your connection; while the link is valid, check it again, else click Get Bundle for a new link.',
  };
}
