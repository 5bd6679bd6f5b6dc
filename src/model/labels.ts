/** Kubernetes labels or annotations. */
export type Labels = Readonly<Record<string, string>>;

/** A Kubernetes label selector (`matchLabels` and `matchExpressions`). */
export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}
