export type { ConnectionAttributes, RequestAttributes, PolicyEvaluation, AuthorizationDecision } from '../../model/evaluation.js';

