/**
 * The one error type of synthesis: props (or, in this repository's app, CDK context values) that cannot work. Each
 * problem names the prop path the caller wrote (`lockout.duration`, `challenges.minVersions.faceMovement`), so the
 * fix is in the message; a stack trace would only bury it.
 */

/** One thing wrong with the props: where it is and what is wrong. */
export interface FaceLivenessProblem {
  /** The prop path, as a construct user writes it (e.g. `lockout.duration`). */
  readonly propPath: string;
  /** The whole sentence, starting with the prop path. */
  readonly message: string;
}

/** Thrown at synth when the props of a FaceLivenessBackend (or its region) cannot work; lists every problem. */
export class FaceLivenessValidationError extends Error {
  /** Every problem found, in the order the props are checked. */
  public readonly problems: readonly FaceLivenessProblem[];
  /** The prop path of the first problem. */
  public readonly propPath: string;

  /** @param problems one or more problems, each naming its prop path */
  constructor(problems: readonly FaceLivenessProblem[]) {
    super(`Invalid Face Liveness props:\n  - ${problems.map((p) => p.message).join('\n  - ')}`);
    this.name = 'FaceLivenessValidationError';
    this.problems = problems;
    this.propPath = problems[0]?.propPath ?? '';
  }
}
