/**
 * Identity verification's resources (the `identity` prop, contract/identity.ts): the face collection of enrolled
 * subjects and the identity function behind the app backend's routes (POST /identity/checks, DELETE
 * /identity/subjects/{subject}), with exactly the permissions it needs. The result and create functions' additions are
 * built here too (`resultStatements`, `createStatements`), so one file says everything identity verification may do.
 */
import { Names, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as rekognition from 'aws-cdk-lib/aws-rekognition';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { IMAGE_KEY_PREFIX } from '../contract/handler-environment';
import { REFERENCE_PHOTO_KEY_PREFIX } from '../contract/identity';
import { LivenessFunction, type LivenessFunctionProps } from './liveness-function';
import { acknowledge, wildcardResourceFinding } from './nag';
import type { SessionTable } from './session-table';

export interface IdentityVerificationProps {
  /** Create the face collection (methods `enrol` and `enrolled`). */
  readonly enrolment: boolean;
  /** The collection's, as the table's: RETAIN keeps the enrolled faces (biometric data: erase subjects first). */
  readonly removalPolicy: RemovalPolicy;
  /** The image bucket: photos sent as bytes are kept under `reference-photos/` until the verdict. */
  readonly imageBucket: s3.IBucket;
  /** The image bucket's customer-managed key, when it has one. */
  readonly imageKey?: kms.IKey;
  /** The app backend's buckets and prefixes of reference photos (read by the result function only). */
  readonly referencePhotoSources: readonly { readonly bucket: s3.IBucket; readonly prefix: string }[];
  readonly sessions: SessionTable;
}

export class IdentityVerification extends Construct {
  /** The face collection, when enrolment is on. */
  public readonly collection?: rekognition.CfnCollection;
  /** Its id (what the handlers call Rekognition with). */
  public readonly collectionId?: string;
  /** Its ARN: the only resource of the collection actions. */
  public readonly collectionArn?: string;
  private readonly props: IdentityVerificationProps;

  constructor(scope: Construct, id: string, props: IdentityVerificationProps) {
    super(scope, id);
    this.props = props;
    if (props.enrolment) {
      this.collectionId = Names.uniqueResourceName(this, { maxLength: 255, separator: '-' });
      this.collection = new rekognition.CfnCollection(this, 'FaceCollection', { collectionId: this.collectionId });
      this.collection.applyRemovalPolicy(props.removalPolicy);
      this.collectionArn = this.collection.attrArn;
    }
  }

  /** The identity function: it opens checks and erases subjects, nothing else. */
  createFunction(options: Omit<LivenessFunctionProps, 'handler' | 'description' | 'statements'>): LivenessFunction {
    const { imageBucket, imageKey, sessions } = this.props;
    const photos = imageBucket.arnForObjects(`${REFERENCE_PHOTO_KEY_PREFIX}*`);
    const statements = [
      ...sessions.identityStatements(),
      new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:DeleteObject'], resources: [photos] }),
      ...(imageKey !== undefined
        ? [new iam.PolicyStatement({ actions: ['kms:Encrypt', 'kms:GenerateDataKey'], resources: [imageKey.keyArn] })]
        : []),
      ...(this.collectionArn !== undefined
        ? [new iam.PolicyStatement({ actions: ['rekognition:DeleteFaces'], resources: [this.collectionArn] })]
        : []),
    ];
    const tableKey = sessions.encryptionKey;
    if (tableKey !== undefined)
      statements.push(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [tableKey.keyArn],
        }),
      );
    const fn = new LivenessFunction(this, 'Function', {
      ...options,
      handler: 'identity',
      description: 'Face Liveness: opens identity checks and erases subjects (app backend only)',
      statements,
    });
    acknowledge(
      fn.role.node.defaultChild as iam.CfnRole,
      wildcardResourceFinding(this, photos),
      `The function names each stored reference photo ${REFERENCE_PHOTO_KEY_PREFIX}<subject reference>/<check id> itself, so it writes and deletes objects under that prefix of the image bucket and nothing else.`,
    );
    return fn;
  }

  /**
   * The result function's additions: the face operations (CompareFaces and DetectFaces on `*`, the collection actions
   * on the collection only), reading the liveness reference image and the reference photos, deleting the photos it
   * stored once the verdict is decided, and decrypting with the keys of those buckets.
   */
  resultStatements(rekognitionCondition?: Record<string, Record<string, unknown>>): iam.PolicyStatement[] {
    const { imageBucket, imageKey, referencePhotoSources } = this.props;
    const photos = imageBucket.arnForObjects(`${REFERENCE_PHOTO_KEY_PREFIX}*`);
    const statements = [
      new iam.PolicyStatement({
        actions: ['rekognition:CompareFaces', 'rekognition:DetectFaces'],
        resources: ['*'],
        ...(rekognitionCondition !== undefined && { conditions: rekognitionCondition }),
      }),
      ...(this.collectionArn !== undefined
        ? [
            new iam.PolicyStatement({
              actions: ['rekognition:DeleteFaces', 'rekognition:IndexFaces', 'rekognition:SearchFacesByImage'],
              resources: [this.collectionArn],
            }),
          ]
        : []),
      // Rekognition reads an S3Object image with its caller's permissions: the liveness reference image it wrote, and
      // the reference photos.
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [
          imageBucket.arnForObjects(`${IMAGE_KEY_PREFIX}*`),
          photos,
          ...referencePhotoSources.map((s) => s.bucket.arnForObjects(`${s.prefix}*`)),
        ],
      }),
      new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [photos] }),
    ];
    const keys = [imageKey, ...referencePhotoSources.map((s) => s.bucket.encryptionKey)]
      .filter((k): k is kms.IKey => k !== undefined)
      .map((k) => k.keyArn);
    if (keys.length > 0)
      statements.push(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [...new Set(keys)] }));
    return statements;
  }

  /** Acknowledgements of the result role's identity statements (cdk-nag). */
  acknowledgeResultRole(role: iam.Role): void {
    const cfnRole = role.node.defaultChild as iam.CfnRole;
    const { imageBucket, referencePhotoSources } = this.props;
    acknowledge(
      cfnRole,
      wildcardResourceFinding(this, imageBucket.arnForObjects(`${IMAGE_KEY_PREFIX}*`)),
      `Rekognition names the session's reference image itself under ${IMAGE_KEY_PREFIX}, and reads it for CompareFaces, IndexFaces and SearchFacesByImage with the caller's permissions: the function reads objects under that prefix of this one bucket only.`,
    );
    acknowledge(
      cfnRole,
      wildcardResourceFinding(this, imageBucket.arnForObjects(`${REFERENCE_PHOTO_KEY_PREFIX}*`)),
      `The reference photos this backend stored are named per subject and check under ${REFERENCE_PHOTO_KEY_PREFIX}: the function reads and deletes objects under that prefix of the image bucket only.`,
    );
    for (const source of referencePhotoSources) {
      acknowledge(
        cfnRole,
        wildcardResourceFinding(this, source.bucket.arnForObjects(`${source.prefix}*`)),
        'The app backend names its reference photos under the prefix it configured (identity.referencePhotoSources): the function reads objects under that prefix only.',
      );
    }
  }

  /** `execute-api:Invoke` on exactly the backend routes, for the app's backend (never a browser role). */
  static invokeStatement(arns: readonly string[]): iam.PolicyStatement {
    return new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [...arns] });
  }
}
