export { loadArazzoDocument, parseArazzoDocument, validateArazzoDocument, ArazzoValidationError } from './document';
export type { ArazzoDocument, Workflow, Step, Criterion, SuccessAction, FailureAction, Parameter } from './document';
export { runWorkflow, AWS_JSON_OPERATION, ArazzoRunError } from './executor';
export type { RunWorkflowOptions, WorkflowRunResult, StepRecord, OperationBinding, RequestSigner } from './executor';
export { createArazzoRequestSigner, type ArazzoRequestSignerOptions } from './request-signer';
export { evaluateCriterion, evaluateExpression, evaluateValue, ArazzoExpressionError } from './expressions';
