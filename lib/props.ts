/**
 * The public props of FaceLivenessBackend, grouped and typed the CDK way (Duration, RetentionDays, RemovalPolicy,
 * enums, interface-typed resources). Shaped so a jsii build could take them: interfaces with readonly members, enums,
 * plain arrays, no mapped or utility types. The construct checks them and applies the defaults in one step
 * (lib/resolve-props.ts), and writes the handler environment from the result.
 */
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type { IdentityPoolAuthenticationProviders } from 'aws-cdk-lib/aws-cognito-identitypool';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';

/** How API callers authenticate. */
export enum LivenessAuthorization {
  /** SigV4 with identity-pool credentials (the ones FaceLivenessDetector already needs). */
  IAM = 'iam',
  /** A Cognito user-pool token (`userPool` is required). */
  COGNITO = 'cognito',
  /** No authentication: demos and local testing only (synth warning). */
  NONE = 'none',
}

/** How stored images are encrypted at rest. */
export enum ImageEncryption {
  /** SSE-S3. */
  S3_MANAGED = 's3',
  /** A customer-managed KMS key with rotation (created, or `encryptionKey`), also used by Rekognition and the table. */
  KMS = 'kms',
}

/** The Face Liveness challenges a session can run (Rekognition's ChallengePreference types). */
export enum LivenessChallenge {
  /** Face movement and light: the most accurate, and AWS's default. */
  FACE_MOVEMENT_AND_LIGHT = 'FaceMovementAndLightChallenge',
  /** Face movement only: the photosensitivity-friendly option AWS advises offering. */
  FACE_MOVEMENT = 'FaceMovementChallenge',
}

/** Which challenges a session may run; a result whose reported challenge is outside the policy is not live. */
export interface LivenessChallengeOptions {
  /**
   * Challenges a client may ask for, in order of preference (the first is used when it asks for none).
   * @default [LivenessChallenge.FACE_MOVEMENT_AND_LIGHT]
   */
  readonly allowed?: LivenessChallenge[];
  /**
   * Lowest version (major.minor.patch) a live result may report, per challenge; asked of Rekognition as that
   * challenge's Versions.Minimum, and a result below it is not live (CHALLENGE_VERSION_TOO_OLD). Each challenge set
   * here must be in `allowed`. Replaces the single `minVersion`, which could not ask for light 2.0.0 without refusing
   * every movement-only session (1.0.0). @default - any version of each
   */
  readonly minVersions?: LivenessChallengeMinVersions;
}

/** The lowest version of each challenge a live result may report (Amplify UI today: light 2.0.0, movement 1.0.0). */
export interface LivenessChallengeMinVersions {
  /** LivenessChallenge.FACE_MOVEMENT_AND_LIGHT. @default - any version */
  readonly faceMovementAndLight?: string;
  /** LivenessChallenge.FACE_MOVEMENT. @default - any version */
  readonly faceMovement?: string;
}

/** The challenge type of each key of LivenessChallengeMinVersions. */
export const MIN_VERSION_CHALLENGES = {
  faceMovementAndLight: 'FaceMovementAndLightChallenge',
  faceMovement: 'FaceMovementChallenge',
} as const satisfies Record<keyof LivenessChallengeMinVersions, LivenessChallenge | string>;

/** The signed verdict every decided result carries (README: "What a verdict proves, and what it does not"). */
export interface LivenessAttestationOptions {
  /**
   * The asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs attestations. Its policy is yours: the result
   * function's role gets kms:Sign and the JWK Set function's role kms:GetPublicKey on it through IAM, which works when
   * the policy delegates to the account's IAM. @default - a new key, created and retained by this construct, whose
   * policy grants kms:Sign to the result function's role alone (the account keeps administration and kms:GetPublicKey)
   */
  readonly key?: kms.IKey;
  /** The `iss` claim (1–256 characters without whitespace, such as a URL). @default `urn:face-liveness:<stack name>:<construct path>` */
  readonly issuer?: string;
  /**
   * The `aud` claim: the app the attestations are for (1–256 characters without whitespace, such as its URL). Its
   * backend verifies it (`verifyAttestation`'s `audience`), so a token issued for one app is refused by another.
   * @default - no `aud` claim
   */
  readonly audience?: string;
  /** Lifetime of an attestation: an app's backend must verify it within this. Whole seconds from 30 to 3600. @default Duration.minutes(5) */
  readonly ttl?: Duration;
}

/** Reference and audit images. */
export interface LivenessImageOptions {
  /** Store reference and audit images in a bucket (else they come back as bytes and are never stored). @default true */
  readonly store?: boolean;
  /** How long stored images are kept: biometric data must not live forever. Whole days. @default Duration.days(30) */
  readonly retention?: Duration;
  /** Bucket encryption. @default ImageEncryption.KMS when `encryptionKey` is given, else ImageEncryption.S3_MANAGED */
  readonly encryption?: ImageEncryption;
  /** Write S3 server access logs of the image bucket to a log bucket. @default true */
  readonly serverAccessLogs?: boolean;
  /** Audit images kept per session, a floor: a client may ask for more, never fewer (0–4). @default 0 */
  readonly defaultAuditImagesLimit?: number;
  /** Lifetime of presigned image URLs (with `exposeDetails`), whole seconds. @default Duration.seconds(60) */
  readonly presignedUrlTtl?: Duration;
  /**
   * Your bucket for the images: the construct creates none (nor its access-log bucket) and grants the functions only
   * the object actions they need under its `liveness/` prefix. Its retention, encryption and access logs are yours to
   * configure; if it is KMS-encrypted, pass that key as `encryptionKey`. @default - the construct creates the bucket
   */
  readonly existingBucket?: s3.IBucket;
}

/** The failure lockout: too many failed checks of one owner lock it out of creating sessions for a while. */
export interface LivenessLockoutOptions {
  /** Failed checks within `window` that lock an owner out (AWS: at most 5); 0 turns the lockout off. @default 5 */
  readonly maxFailures?: number;
  /** The sliding window failed checks are counted in (AWS: 3 minutes). @default Duration.minutes(3) */
  readonly window?: Duration;
  /** Length of a first lockout (AWS: 30–60 minutes). @default Duration.minutes(30) */
  readonly duration?: Duration;
  /** Each lockout in a row lasts this many times the previous one (1: no backoff). @default 2 */
  readonly backoffFactor?: number;
  /** Longest lockout; lockouts in a row are forgotten after this long without one. @default Duration.days(1) */
  readonly maxDuration?: Duration;
}

/**
 * The functions. Each option says which it applies to: the two API functions (create session, get result), or all
 * three with the JWK Set function (its memory and concurrency are `jwksFunction`'s). Construct-required values
 * (runtime, architecture, role, handler, log group) always win.
 */
export interface LivenessFunctionOptions {
  /** Timeout of all three functions, whole seconds from 3 to 29. @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** Per-call timeout of the AWS SDK calls of all three functions; must leave room for retries within the timeout. @default Duration.seconds(3) */
  readonly sdkTimeout?: Duration;
  /** AWS SDK attempts per call of all three functions, first try included. @default 2 */
  readonly sdkMaxAttempts?: number;
  /** How long a client waits before polling a pending session again (Retry-After, the result function), whole seconds. @default Duration.seconds(1) */
  readonly pollRetryAfter?: Duration;
  /** An X-Ray subsegment for each Rekognition and DynamoDB call of the two API functions (Powertools Tracer; deploys the traced handler bundles, about 120 KB larger). @default false */
  readonly traceAwsCalls?: boolean;
  /** Memory of each of the two API functions, MB (the JWK Set function's: `jwksFunction.memorySize`). @default 512 */
  readonly memorySize?: number;
  /** Concurrency reserved for each of the two API functions (the JWK Set function's: `jwksFunction`). @default - none (the account's unreserved pool) */
  readonly reservedConcurrentExecutions?: number;
  /** Run all three functions in this VPC (it needs a route to Rekognition, DynamoDB, S3 and KMS). @default - no VPC */
  readonly vpc?: ec2.IVpc;
  /** Subnets of `vpc` all three functions use. @default - the VPC's private subnets */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Security groups of all three functions in `vpc`. @default - one created per function */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * More environment variables for the two API functions (not the JWK Set function, whose environment is only what
   * it needs); the construct's own variables win on a name clash. @default - none
   */
  readonly environment?: { [key: string]: string };
}

/** The JWK Set function (GET /.well-known/jwks.json): public, cacheable, one KMS call per cold start. */
export interface LivenessJwksFunctionOptions {
  /** Memory, MB. @default 256 */
  readonly memorySize?: number;
  /**
   * Concurrency reserved for it, which also caps it: an unauthenticated route cannot then take more of the account's
   * concurrency than this. Reserving needs that much unreserved concurrency left in the account (new accounts may
   * have as little as 10 in all). @default - none (the account's unreserved pool; stage throttling and WAF apply)
   */
  readonly reservedConcurrentExecutions?: number;
}

/** Options of the API's stage. Construct-required values (stage name, access log destination and format, metrics, throttling from `throttling`) always win. */
export interface LivenessStageOptions {
  /**
   * X-Ray tracing of the stage. Off by default because its traces hold personal data the access logs leave out: the
   * caller's IP address and the full request URL, with the session id (README, "X-Ray"). The functions are traced
   * either way, so a request's latency per AWS call is visible without it. @default false
   */
  readonly tracingEnabled?: boolean;
  /** The stage's description. @default - none */
  readonly description?: string;
  /** Stage variables. @default - none */
  readonly variables?: { [key: string]: string };
  /** Turn on the stage's cache cluster. @default false */
  readonly cacheClusterEnabled?: boolean;
  /** Size of the cache cluster (e.g. '0.5'). @default - API Gateway's default, when the cache is on */
  readonly cacheClusterSize?: string;
  /** Per-method settings (keys `/resource/METHOD`, e.g. caching); stage-wide throttling stays `throttling`. @default - none */
  readonly methodOptions?: { [path: string]: apigw.MethodDeploymentOptions };
}

/** The WAF web ACL in front of the API stage. */
export interface LivenessFirewallOptions {
  /** Put a WAF web ACL with a per-IP rate-based rule in front of the API. @default true */
  readonly enabled?: boolean;
  /** Requests one IP may make in 5 minutes before WAF blocks it (10–2,000,000,000). @default 300 */
  readonly rateLimitPerIp?: number;
}

/** When each alarm fires (README: "Operating it"). */
export interface LivenessAlarmThresholds {
  /** Share of API requests answered with a 5xx, percent, above which the 5xx alarm fires. @default 5 */
  readonly serverErrorPercent?: number;
  /** p99 latency of a route above which its latency alarm fires (3 periods in a row), whole milliseconds. @default Duration.seconds(3) */
  readonly latencyP99?: Duration;
  /** Failed invocations (crashes, timeouts) of one function per period that fire its errors alarm. @default 1 */
  readonly functionErrors?: number;
  /** Throttled invocations of one function per period that fire its throttles alarm. @default 1 */
  readonly functionThrottles?: number;
  /** Calls throttled by Rekognition (or the session table) per period that fire the upstream throttles alarm. @default 5 */
  readonly upstreamThrottles?: number;
  /** Server errors from Rekognition (or the session table) per period that fire the upstream server errors alarm. @default 5 */
  readonly upstreamServerErrors?: number;
  /** Share of finished checks that were not live, percent, above which the failed-check alarm fires. @default 50 */
  readonly failedCheckPercent?: number;
  /** Lockouts started per period that fire the lockout alarm. @default 5 */
  readonly lockoutsStarted?: number;
  /** Requests blocked by the WAF per period that fire the WAF alarm. @default 100 */
  readonly wafBlockedRequests?: number;
  /** Requests (or finished checks) a period needs before a share alarm (5xx, failed checks) can fire. @default 10 */
  readonly minSamples?: number;
}

/** Alarms, dashboard and where notifications go. */
export interface LivenessMonitoringOptions {
  /** Create the CloudWatch alarms. @default true */
  readonly alarms?: boolean;
  /** Create the CloudWatch dashboard. @default true */
  readonly dashboard?: boolean;
  /** Your SNS topic for alarm and OK notifications (not with `alarmEmail`). @default - none, unless alarmEmail creates one */
  readonly alarmTopic?: sns.ITopic;
  /** Send notifications to this address through a new SNS topic (not with `alarmTopic`). @default none */
  readonly alarmEmail?: string;
  /** When each alarm fires. @default - see LivenessAlarmThresholds */
  readonly thresholds?: LivenessAlarmThresholds;
}

/** A bucket and key prefix the app's backend keeps reference photos (ID documents) in, for `POST /identity/checks`. */
export interface LivenessReferencePhotoSource {
  /** The bucket; the result function's role gets s3:GetObject on `prefix*` of it (and kms:Decrypt on its key). */
  readonly bucket: s3.IBucket;
  /** The key prefix, e.g. `id-documents/`: 1–950 characters without whitespace; only objects below it are read. */
  readonly prefix: string;
}

/**
 * Identity verification: the live face matched on the server against a reference photo (an ID document) or the face
 * enrolled for a subject, decided and attested with the verdict (contract/identity.ts). Adds the app backend's routes
 * `POST /identity/checks` and `DELETE /identity/subjects/{subject}` (IAM only; `grantIdentityChecks`).
 */
export interface LivenessIdentityOptions {
  /**
   * Similarity (0–100) at or above which a face matches; a check may ask for more, never less. AWS advises 99 for
   * identity verification; below 90 is a synth warning (80 is Rekognition's own default, and too low). @default 99
   */
  readonly similarityThreshold?: number;
  /**
   * Where `s3Object` reference photos may come from. Photos sent as bytes are stored in the image bucket instead.
   * @default - none: reference photos only as bytes
   */
  readonly referencePhotoSources?: LivenessReferencePhotoSource[];
  /** Create the face collection of enrolled subjects (methods `enrol` and `enrolled`). @default true */
  readonly enrolment?: boolean;
  /** How long an identity check waits to be bound to a session, whole seconds from 60 to 3600. @default Duration.minutes(10) */
  readonly checkTtl?: Duration;
}

/** The props of FaceLivenessBackend: every one optional, grouped by concern; the defaults are the secure ones. */
export interface FaceLivenessBackendProps {
  /** Browser origins allowed by CORS (scheme and host). `*` only if you set it yourself. @default ['http://localhost:5173'] */
  readonly allowedOrigins?: string[];
  /** How API callers authenticate. @default LivenessAuthorization.IAM */
  readonly authorization?: LivenessAuthorization;
  /**
   * Your user pool: the API's authorizer with LivenessAuthorization.COGNITO, and (with `userPoolClient`) the login
   * provider of the identity pool the construct creates. @default - none (required with LivenessAuthorization.COGNITO)
   */
  readonly userPool?: cognito.IUserPool;
  /**
   * The app client of `userPool` your signed-in users come through: with it, the identity pool the construct creates
   * gives them its authenticated role. @default - no login provider (add one with identityPool.addUserPoolAuthentication)
   */
  readonly userPoolClient?: cognito.IUserPoolClient;
  /**
   * Your app's browser roles (e.g. an Amplify identity pool's authenticated and unauthenticated roles): each gets
   * exactly what FaceLivenessDetector and the API need (see `grantBrowserAccess`), and no identity pool is created.
   * @default - the construct creates an identity pool (L2 IdentityPool) with its own roles
   */
  readonly existingBrowserRoles?: iam.IRole[];
  /** Let guest identities of the identity pool the construct creates stream and call the API. @default true */
  readonly allowGuestAccess?: boolean;
  /**
   * Your app's own login as providers of the identity pool the construct creates (aws-cdk-lib's providers: OIDC such
   * as Auth0, Okta or Firebase, SAML, a custom developer provider with `grantDeveloperAuthentication`, Google,
   * Facebook, Amazon, Apple, Twitter, user pools): their identities get the authenticated role, which has exactly the
   * browser access. docs/frontend.md: "An app with its own login". @default - none (besides `userPoolClient`)
   */
  readonly authenticationProviders?: IdentityPoolAuthenticationProviders;
  /**
   * Add the frontend's configuration as stack outputs: `ApiUrl`, `Region`, `IdentityPoolId` (of the identity pool the
   * construct creates) and `AuthMode`, the names `npx face-liveness config <outputs.json>` reads from
   * `cdk deploy --outputs-file`. Their logical ids are these names, so one construct per stack can add them.
   * @default false
   */
  readonly frontendOutputs?: boolean;
  /** Confidence (0–100) at or above which a check is live. May be a token (e.g. a CfnParameter). @default 80 */
  readonly confidenceThreshold?: number;
  /** Add confidence, bounding boxes and images (presigned URLs or bytes) to results. @default false */
  readonly exposeDetails?: boolean;
  /** Which challenges a session may run. @default - only LivenessChallenge.FACE_MOVEMENT_AND_LIGHT, any version */
  readonly challenges?: LivenessChallengeOptions;
  /** The signed verdict attestations. @default - a new key, a 5-minute lifetime, an issuer named after the construct */
  readonly attestation?: LivenessAttestationOptions;
  /** Reference and audit images. @default - stored 30 days, SSE-S3, with server access logs */
  readonly images?: LivenessImageOptions;
  /**
   * Customer-managed key for the images, the session table and Rekognition's writes. Your key policy must let the
   * account's IAM principals use it (the default key policy does). @default - a new key with ImageEncryption.KMS, else none
   */
  readonly encryptionKey?: kms.IKey;
  /** How long a session record and its verdict are kept (whole days). @default Duration.days(30) */
  readonly verdictRetention?: Duration;
  /** The failure lockout. @default - 5 failures in 3 minutes lock out for 30 minutes, doubling up to a day */
  readonly lockout?: LivenessLockoutOptions;
  /** RETAIN or DESTROY: the buckets, key, table and log groups on stack deletion. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Retention of the functions' and API's log groups and the S3 server access logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Stage-wide throttling. @default - 10 requests per second, burst 20 */
  readonly throttling?: apigw.ThrottleSettings;
  /** The WAF web ACL. @default - on, 300 requests per IP per 5 minutes */
  readonly firewall?: LivenessFirewallOptions;
  /** The functions; each option says which of the three it applies to. @default - 10 s timeout, 3 s SDK call timeout, 2 attempts, 512 MB */
  readonly functions?: LivenessFunctionOptions;
  /** The JWK Set function's memory and concurrency. @default - 256 MB, no reserved concurrency */
  readonly jwksFunction?: LivenessJwksFunctionOptions;
  /** Options of the API's stage. @default - none beyond what the construct sets */
  readonly stageOptions?: LivenessStageOptions;
  /** Add an aws:RequestedRegion condition (the stack's region) to the Rekognition permissions. @default true */
  readonly restrictToRegion?: boolean;
  /** Synthesize even where Face Liveness is not (yet) offered. @default false */
  readonly allowUnsupportedRegion?: boolean;
  /** Alarms, dashboard and notifications. @default - alarms and dashboard on, no notifications */
  readonly monitoring?: LivenessMonitoringOptions;
  /**
   * Identity verification against an ID photo or an enrolled face (needs `images.store`: photos sent as bytes are
   * kept in the image bucket until the verdict). @default - off: no backend routes, no face collection
   */
  readonly identity?: LivenessIdentityOptions;
}
