/**
 * `<FaceLivenessCheck>`: the whole face liveness check around Amplify's FaceLivenessDetector, in the person's
 * language: a start screen, the detector on a new session per attempt, the verdict (to `onVerdict`, with its
 * attestation and, with an `identityCheck`, its identity outcome: "Matched" or "Not matched: <why>"), errors and
 * feedback as words, "Try again" on a new session, a lockout's wait.
 *
 * Unstyled apart from class names (`flc-*`) and data attributes (`data-state`, `data-problem`): style it with your
 * own CSS. It renders no inline styles, so it runs under a strict Content-Security-Policy.
 */
import {
  type AwsCredentialProvider,
  FaceLivenessDetector,
  FaceLivenessDetectorCore,
  type FaceLivenessDetectorCoreProps,
} from '@aws-amplify/ui-react-liveness';
import { useEffect, useMemo } from 'react';
import type { AwsCredentials, FinishedResult, IdentityResult } from '../client';
import { resolveMessages } from './messages';
import type { LivenessMessages, LivenessMessagesOverride } from './messages/types';
import type { LivenessProblem } from './problems';
import {
  type DetectorBinding,
  useFaceLivenessCheck,
  type UseFaceLivenessCheckOptions,
} from './use-face-liveness-check';

type CoreConfig = NonNullable<FaceLivenessDetectorCoreProps['config']>;

/** The detector's `config` without its credential provider (that is a prop of its own): binaryPath, faceModelUrl, … */
export type DetectorConfig = Omit<CoreConfig, 'credentialProvider'>;

/**
 * AWS credentials for the detector's video stream (`rekognition:StartFaceLivenessSession`): the client's
 * `cognitoGuestCredentials(...)`, Amplify's `async () => (await fetchAuthSession()).credentials`, or your own.
 */
export type LivenessCredentialProvider = () => AwsCredentials | Promise<AwsCredentials>;

export interface FaceLivenessCheckProps extends Omit<UseFaceLivenessCheckOptions, 'messages'> {
  /**
   * Where the detector's credentials come from. Absent: Amplify Auth's (the plain FaceLivenessDetector, which needs
   * `Amplify.configure` with an identity pool).
   */
  readonly credentialProvider?: LivenessCredentialProvider;
  /** A BCP 47 tag or a preference list (`navigator.languages`): en, es, fr, de, pt built in. @default 'en' */
  readonly locale?: string | readonly string[];
  /** Any of the words, over the chosen language. */
  readonly messages?: LivenessMessagesOverride;
  /** Passed to the detector as its `config`: self-hosted `binaryPath` and `faceModelUrl`, `deviceId`, … */
  readonly detectorConfig?: DetectorConfig;
  /** Passed to the detector: its own on-screen texts (hints, camera prompts) in your language. */
  readonly displayText?: FaceLivenessDetectorCoreProps['displayText'];
  /** Show this component's start screen (its tips and button). Off: the check starts on mount. @default true */
  readonly startScreen?: boolean;
  readonly className?: string;
}

export function FaceLivenessCheck(props: FaceLivenessCheckProps) {
  const { credentialProvider, locale, messages: overrides, detectorConfig, displayText, className } = props;
  const messages = useMemo(() => resolveMessages(locale, overrides), [locale, overrides]);
  const check = useFaceLivenessCheck({ ...props, messages });
  const { state, start, detector } = check;
  const streamCredentials = useMemo(
    () => credentialProvider && toDetectorProvider(credentialProvider),
    [credentialProvider],
  );
  const autoStart = props.startScreen === false;

  // Without a start screen, a check starts as soon as the component is shown (and after the person cancels).
  const startNow = autoStart && state.status === 'idle';
  useEffect(() => {
    if (startNow) start();
  }, [startNow, start]);

  return (
    <section className={['flc', className].filter(Boolean).join(' ')} aria-live="polite" data-state={state.status}>
      {state.status === 'idle' && !autoStart && (
        <StartScreen messages={messages} onStart={start} flashes={props.challenge !== 'FaceMovementChallenge'} />
      )}
      {state.status === 'creating' && <Busy text={messages.preparing} />}
      {state.status === 'detecting' && detector && (
        <div className="flc-screen flc-detector">
          {streamCredentials ? (
            <FaceLivenessDetectorCore
              key={detector.key}
              {...detectorProps(detector, displayText)}
              config={{ ...detectorConfig, credentialProvider: streamCredentials }}
            />
          ) : (
            <FaceLivenessDetector
              key={detector.key}
              {...detectorProps(detector, displayText)}
              {...(detectorConfig && { config: amplifyConfig(detectorConfig) })}
            />
          )}
        </div>
      )}
      {state.status === 'verifying' && <Busy text={messages.verifying} />}
      {state.status === 'verdict' && <Verdict result={state.result} messages={messages} onRetry={start} />}
      {state.status === 'error' && <Problem problem={state.problem} messages={messages} onRetry={start} />}
    </section>
  );
}

/** The props both detector variants take alike. This component's start screen already explained the check. */
function detectorProps(detector: DetectorBinding, displayText: FaceLivenessDetectorCoreProps['displayText']) {
  return {
    sessionId: detector.sessionId,
    region: detector.region,
    onAnalysisComplete: detector.onAnalysisComplete,
    onError: detector.onError,
    onUserCancel: detector.onUserCancel,
    disableStartScreen: true,
    ...(displayText && { displayText }),
  };
}

/** The detector wants a promise of Amplify's credential shape, without undefined optional fields. */
function toDetectorProvider(provider: LivenessCredentialProvider): AwsCredentialProvider {
  return async () => {
    const c = await provider();
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken !== undefined && { sessionToken: c.sessionToken }),
      ...(c.expiration !== undefined && { expiration: c.expiration }),
    };
  };
}

/** The plain FaceLivenessDetector takes no endpoint override, clock offset or credential provider. */
function amplifyConfig(config: DetectorConfig) {
  const { endpointOverride: _endpoint, systemClockOffset: _offset, ...rest } = config;
  return rest;
}

function StartScreen({
  messages,
  onStart,
  flashes,
}: {
  messages: LivenessMessages;
  onStart: () => void;
  flashes: boolean;
}) {
  return (
    <div className="flc-screen flc-start">
      <h2>{messages.startTitle}</h2>
      <p>{messages.startIntro}</p>
      <ul className="flc-tips">
        <li>{messages.tipLight}</li>
        <li>{messages.tipAccessories}</li>
        <li>{messages.tipDistance}</li>
        {flashes && <li>{messages.tipFlashes}</li>}
      </ul>
      <button type="button" className="flc-primary" onClick={onStart}>
        {messages.startButton}
      </button>
    </div>
  );
}

function Busy({ text }: { text: string }) {
  return (
    <div className="flc-screen flc-busy" role="status">
      <div className="flc-spinner" aria-hidden="true" />
      <p>{text}</p>
    </div>
  );
}

function Verdict({
  result,
  messages,
  onRetry,
}: {
  result: FinishedResult;
  messages: LivenessMessages;
  onRetry: () => void;
}) {
  if (result.isLive) {
    const identity = result.identity;
    if (identity && !identity.matched) {
      // Live, but not the expected person (or not enrolled): the check as a whole did not pass.
      return (
        <div className="flc-screen flc-result flc-not-verified" data-verdict="live" data-identity="not-matched">
          <div className="flc-badge flc-fail" aria-hidden="true">
            !
          </div>
          <h2>{messages.identityNotMatchedTitle}</h2>
          <IdentityOutcome identity={identity} messages={messages} />
          <button type="button" className="flc-primary" onClick={onRetry}>
            {messages.retryButton}
          </button>
        </div>
      );
    }
    return (
      <div
        className="flc-screen flc-result flc-verified"
        data-verdict="live"
        {...(identity && { 'data-identity': 'matched' })}
      >
        <div className="flc-badge flc-ok" aria-hidden="true">
          ✓
        </div>
        <h2>{messages.verifiedTitle}</h2>
        <p>{messages.verifiedMessage}</p>
        {identity && <IdentityOutcome identity={identity} messages={messages} />}
      </div>
    );
  }
  // Each code once, in the order Rekognition gave them.
  const advice = [...new Set(result.feedback)]
    .map((code) => messages.feedback[code])
    .filter((text): text is string => !!text);
  return (
    <div className="flc-screen flc-result flc-not-verified" data-verdict="not-live">
      <div className="flc-badge flc-fail" aria-hidden="true">
        !
      </div>
      <h2>{messages.notVerifiedTitle}</h2>
      <p>{(result.reason && messages.reasons[result.reason]) || messages.notVerifiedMessage}</p>
      {advice.length > 0 && (
        <>
          <h3>{messages.adviceTitle}</h3>
          <ul className="flc-advice">
            {advice.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </>
      )}
      <button type="button" className="flc-primary" onClick={onRetry}>
        {messages.retryButton}
      </button>
    </div>
  );
}

function Problem({
  problem,
  messages,
  onRetry,
}: {
  problem: LivenessProblem;
  messages: LivenessMessages;
  onRetry: () => void;
}) {
  return (
    <div className="flc-screen flc-error" role="alert" data-problem={problem.code}>
      <div className="flc-badge flc-fail" aria-hidden="true">
        !
      </div>
      <h2>{problem.title}</h2>
      <p>{problem.message}</p>
      {problem.retry && (
        <button type="button" className="flc-primary" onClick={onRetry}>
          {messages.retryButton}
        </button>
      )}
    </div>
  );
}

/** "Matched", or "Not matched: <why>" (for `enrol`: "Enrolled" / "Not enrolled: <why>"). Never a similarity. */
function IdentityOutcome({ identity, messages }: { identity: IdentityResult; messages: LivenessMessages }) {
  const enrol = identity.method === 'enrol';
  if (identity.matched) {
    return <p className="flc-identity">{enrol ? messages.identityEnrolled : messages.identityMatched}</p>;
  }
  const label = enrol ? messages.identityNotEnrolled : messages.identityNotMatched;
  const why = identity.reason && messages.identityReasons[identity.reason];
  return (
    <p className="flc-identity" data-identity-reason={identity.reason}>
      {why ? `${label}: ${why}` : label}
    </p>
  );
}
