import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { FaceLivenessBackend } from '../lib/face-liveness-backend';
import { STACK_OUTPUTS } from '../lib/outputs';
import { forContext, propsFromSettings, settingsFromContext } from './context-settings';
import type { FaceLivenessSettings } from './settings';

/** The stack's props: a stack's own, and settings that win over CDK context. */
export interface FaceLivenessStackProps extends StackProps {
  /** Settings that win over CDK context (`cdk.json` or `-c name=value`). @default - context only */
  readonly settings?: Partial<FaceLivenessSettings>;
}

/**
 * This project's deployable stack (the repository's app, not part of the library's entry point): settings from CDK
 * context under the README's flat names, converted into the construct's props, and the outputs the frontend needs.
 */
export class FaceLivenessStack extends Stack {
  /** The backend construct. */
  public readonly backend: FaceLivenessBackend;

  constructor(scope: Construct, id: string, props: FaceLivenessStackProps = {}) {
    super(scope, id, props);
    const fromContext = settingsFromContext((key) => this.node.tryGetContext(key));
    try {
      this.backend = new FaceLivenessBackend(
        this,
        'Backend',
        // ApiUrl, Region, IdentityPoolId and AuthMode: what `face-liveness config` reads.
        { ...propsFromSettings(this, { ...fromContext, ...props.settings }), frontendOutputs: true },
      );
    } catch (error) {
      throw forContext(error);
    }

    new CfnOutput(this, STACK_OUTPUTS.sessionTableName, {
      value: this.backend.sessionTable.tableName,
      description: 'Session owners, verdicts and failure lockouts',
    });
    if (this.backend.imageBucket) {
      new CfnOutput(this, STACK_OUTPUTS.imageBucketName, {
        value: this.backend.imageBucket.bucketName,
        description: 'Bucket of reference and audit images',
      });
    }
  }
}
