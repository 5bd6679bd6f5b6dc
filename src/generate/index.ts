/**
 * fast-check arbitraries for clusters, policies and flows, and invariant checks over generated
 * flows (DESIGN.md layer `generate`). Pure: imports model and core only.
 */
export { flowsOver, type FlowsOverOptions } from './flows-over.js';
export { forEachGeneratedFlow, generateFlows, type GenerateFlowsOptions } from './generate-flows.js';
export { policyVocabulary, type PolicyVocabulary } from './policy-vocabulary.js';
export { cidrBoundaries } from './ipv4.js';
export { methodSamples, pathSamples, portSamples, stringSamples, type Samples } from './near-misses.js';
export {
  clusterWithPolicies, smallAuthorizationPolicy, smallCluster, smallClusterFlow, smallRule, SMALL_APPS, SMALL_NAMESPACES,
  type SmallClusterOptions,
} from './small-clusters.js';
export {
  invariant, invariantOf, judgeOf, noChangeUnder, noPlaintextInto, onlyReachable,
  type FlowCondition, type FlowPredicate, type Invariant, type InvariantJudge, type PredicateScope, type Violation,
} from './invariants.js';
export { checkInvariant, type CheckInvariantOptions, type InvariantOutcome } from './check-invariant.js';
export { exercises, invariantUnknowns } from './invariant-scope.js';
export { minimisePolicies } from './minimise-policies.js';
export { indexOf, isMeshIndex, type MeshTarget } from './mesh-target.js';
