/**
 * The errors the emulator answers with on the AWS side, as the AWS JSON 1.1 protocol carries them: an HTTP status and a
 * body `{"__type": "<Name>", "Message": "..."}`. The SDK picks its exception class from `__type`.
 */
export const AWS_ERRORS = {
  // Modelled Rekognition errors (docs/rekognition-facts.md): the SDK raises its own class for each.
  AccessDeniedException: 400,
  InvalidParameterException: 400,
  SessionNotFoundException: 400,
  ProvisionedThroughputExceededException: 400,
  ThrottlingException: 500,
  InternalServerError: 500,
  // Modelled errors of the face-matching operations (their commands' @throws in @aws-sdk/client-rekognition).
  ResourceNotFoundException: 400,
  ResourceAlreadyExistsException: 400,
  InvalidImageFormatException: 400,
  ImageTooLargeException: 400,
  InvalidS3ObjectException: 400,
  InvalidPaginationTokenException: 400,
  // Protocol-level errors every AWS JSON service shares (not in the model: the SDK raises RekognitionServiceException
  // with this name).
  ValidationException: 400,
  UnknownOperationException: 400,
  SerializationException: 400,
  MissingAuthenticationTokenException: 400,
  IncompleteSignatureException: 400,
  InvalidSignatureException: 400,
  RequestEntityTooLargeException: 413,
} as const;

export type AwsErrorName = keyof typeof AWS_ERRORS;

export class AwsError extends Error {
  readonly statusCode: number;

  constructor(
    readonly type: AwsErrorName,
    message: string,
  ) {
    super(message);
    this.name = type;
    this.statusCode = AWS_ERRORS[type];
  }

  toBody(): { __type: AwsErrorName; Message: string } {
    return { __type: this.type, Message: this.message };
  }
}

/** Errors the fault injector may raise. */
export const FAULT_ERRORS = [
  'ThrottlingException',
  'InternalServerError',
  'ProvisionedThroughputExceededException',
  'AccessDeniedException',
] as const satisfies readonly AwsErrorName[];
export type FaultErrorName = (typeof FAULT_ERRORS)[number];

export const FAULT_MESSAGES: Record<FaultErrorName, string> = {
  ThrottlingException: 'Rate exceeded',
  InternalServerError: 'Internal server error',
  ProvisionedThroughputExceededException: 'Provisioned rate exceeded',
  AccessDeniedException: 'User is not authorized to perform this action (emulator fault injection)',
};
