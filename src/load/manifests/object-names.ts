import type { Labels } from '../../model/labels.js';

/**
 * The API server's rules for object names, namespaces and labels (kubernetes
 * staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go, with the messages it prints):
 * names are RFC 1123 subdomains, Namespace names RFC 1123 labels, Service names RFC 1035 labels
 * (pkg/apis/core/validation ValidateServiceName), label keys qualified names and values label values.
 * An object that breaks one is rejected before any controller sees it.
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const LABEL_MESSAGE = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MESSAGE = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MESSAGE = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED_MESSAGE = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MESSAGE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** One broken rule: the field and the API server's message (the value quoted as JSON, so it prints safely). */
export interface NameProblem {
  readonly path: string;
  readonly message: string;
}

function invalid(path: string, value: string, why: string): NameProblem {
  return { path, message: `${path}: Invalid value: ${JSON.stringify(value)}: ${why}` };
}

function dns1123Label(path: string, value: string): NameProblem[] {
  if (value.length > 63) return [invalid(path, value, 'must be no more than 63 characters')];
  return DNS1123_LABEL.test(value) ? [] : [invalid(path, value, LABEL_MESSAGE)];
}

function dns1123Subdomain(path: string, value: string): NameProblem[] {
  if (value.length > 253) return [invalid(path, value, 'must be no more than 253 characters')];
  return DNS1123_SUBDOMAIN.test(value) ? [] : [invalid(path, value, SUBDOMAIN_MESSAGE)];
}

function dns1035Label(path: string, value: string): NameProblem[] {
  if (value.length > 63) return [invalid(path, value, 'must be no more than 63 characters')];
  return DNS1035_LABEL.test(value) ? [] : [invalid(path, value, DNS1035_MESSAGE)];
}

/** validation.go IsQualifiedName: `[prefix/]name`, the prefix a subdomain, the name at most 63 characters. */
function qualifiedName(path: string, key: string): NameProblem[] {
  const parts = key.split('/');
  if (parts.length > 2) return [invalid(path, key, `a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'`)];
  const name = parts[parts.length - 1] as string;
  const prefix = parts.length === 2 ? (parts[0] as string) : undefined;
  const problems: NameProblem[] = [];
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) problems.push(invalid(path, key, `prefix part ${SUBDOMAIN_MESSAGE}`));
  if (name.length === 0) problems.push(invalid(path, key, 'name part must be non-empty'));
  else if (name.length > 63) problems.push(invalid(path, key, 'name part must be no more than 63 characters'));
  else if (!QUALIFIED_NAME.test(name)) problems.push(invalid(path, key, QUALIFIED_MESSAGE));
  return problems;
}

function labelValue(path: string, value: string): NameProblem[] {
  if (value.length > 63) return [invalid(path, value, 'must be no more than 63 characters')];
  return value === '' || QUALIFIED_NAME.test(value) ? [] : [invalid(path, value, VALUE_MESSAGE)];
}

/** What the API server would refuse in an object's name, namespace and labels. */
export function nameProblems(kind: string, name: string, namespace: string | undefined, labels: Labels): NameProblem[] {
  const problems: NameProblem[] = [];
  const add = (found: readonly NameProblem[]): void => {
    for (const p of found) problems.push(p);
  };
  if (kind === 'Namespace') add(dns1123Label('metadata.name', name));
  else if (kind === 'Service') add(dns1035Label('metadata.name', name));
  else add(dns1123Subdomain('metadata.name', name));
  if (namespace !== undefined) add(dns1123Label('metadata.namespace', namespace));
  for (const [key, value] of Object.entries(labels)) {
    add(qualifiedName(`metadata.labels`, key));
    add(labelValue(`metadata.labels.${key}`, value));
  }
  return problems;
}
