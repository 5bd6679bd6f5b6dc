import type {
  ContainerPort, Controller, ControllerKind, Gateway, GatewayClass, GatewayListener, Node, ObjectMeta, Pod, PodTemplate, Service, ServicePort,
} from '../../model/cluster.js';
import type { LabelSelector } from '../../model/labels.js';
import type { FieldReader } from './field-reader.js';

type Obj = Record<string, unknown>;

/** Containers' ports and the rest of a pod spec the simulation reads. */
export function readPodTemplate(r: FieldReader, meta: ObjectMeta, specValue: unknown, path: string): PodTemplate {
  const spec = r.map(specValue, path) ?? {};
  const ports: ContainerPort[] = [];
  (r.list(spec['containers'], `${path}.containers`) ?? []).forEach((c, i) => {
    const cm = r.map(c, `${path}.containers.${i}`) ?? {};
    (r.list(cm['ports'], `${path}.containers.${i}.ports`) ?? []).forEach((p, j) => {
      const pp = `${path}.containers.${i}.ports.${j}`;
      const pm = r.map(p, pp) ?? {};
      const containerPort = r.integer(pm['containerPort'], `${pp}.containerPort`);
      const name = r.string(pm['name'], `${pp}.name`);
      const protocol = (r.string(pm['protocol'], `${pp}.protocol`) ?? 'TCP') as ContainerPort['protocol'];
      if (containerPort !== undefined) ports.push({ containerPort, protocol, ...(name !== undefined ? { name } : {}) });
    });
  });
  return {
    labels: meta.labels, annotations: meta.annotations,
    serviceAccount: r.string(spec['serviceAccountName'], `${path}.serviceAccountName`) ?? r.string(spec['serviceAccount'], `${path}.serviceAccount`) ?? 'default',
    hostNetwork: r.boolean(spec['hostNetwork'], `${path}.hostNetwork`) ?? false,
    ports,
  };
}

export function readPod(r: FieldReader, meta: ObjectMeta, obj: Obj): Pod {
  const spec = r.map(obj['spec'], 'spec') ?? {};
  const status = r.map(obj['status'], 'status') ?? {};
  const ips = (r.list(status['podIPs'], 'status.podIPs') ?? []).flatMap((p, i) => r.string(r.map(p, `status.podIPs.${i}`)?.['ip'], `status.podIPs.${i}.ip`) ?? []);
  const podIP = r.string(status['podIP'], 'status.podIP');
  if (podIP && !ips.includes(podIP)) ips.unshift(podIP);
  const hostIps = (r.list(status['hostIPs'], 'status.hostIPs') ?? []).flatMap((p, i) => r.string(r.map(p, `status.hostIPs.${i}`)?.['ip'], `status.hostIPs.${i}.ip`) ?? []);
  const hostIP = r.string(status['hostIP'], 'status.hostIP');
  if (hostIP && !hostIps.includes(hostIP)) hostIps.unshift(hostIP);
  const nodeName = r.string(spec['nodeName'], 'spec.nodeName');
  const phase = r.string(status['phase'], 'status.phase');
  const deletion = (obj['metadata'] as Obj | undefined)?.['deletionTimestamp'];
  return {
    kind: 'Pod', meta, template: readPodTemplate(r, meta, obj['spec'], 'spec'), ips,
    ...(nodeName !== undefined ? { nodeName } : {}), ...(phase !== undefined ? { phase } : {}), ...(hostIps.length > 0 ? { hostIps } : {}),
    ...(deletion !== undefined && deletion !== null ? { terminating: true } : {}),
  };
}

function readSelector(r: FieldReader, value: unknown, path: string): LabelSelector | undefined {
  const m = r.map(value, path);
  if (!m) return undefined;
  const matchLabels = r.stringMap(m['matchLabels'], `${path}.matchLabels`);
  const exprs = (r.list(m['matchExpressions'], `${path}.matchExpressions`) ?? []).map((e, i) => {
    const em = r.map(e, `${path}.matchExpressions.${i}`) ?? {};
    const values = r.strings(em['values'], `${path}.matchExpressions.${i}.values`);
    return { key: r.string(em['key'], `${path}.matchExpressions.${i}.key`) ?? '', operator: (r.string(em['operator'], `${path}.matchExpressions.${i}.operator`) ?? 'In') as 'In', ...(values ? { values } : {}) };
  });
  return { ...(matchLabels ? { matchLabels } : {}), ...(exprs.length > 0 ? { matchExpressions: exprs } : {}) };
}

/** Deployment, StatefulSet, DaemonSet, ReplicaSet, Job: replicas, selector and pod template. */
export function readController(r: FieldReader, meta: ObjectMeta, obj: Obj, kind: ControllerKind): Controller {
  const spec = r.map(obj['spec'], 'spec') ?? {};
  const template = r.map(spec['template'], 'spec.template') ?? {};
  const tmeta = r.map(template['metadata'], 'spec.template.metadata') ?? {};
  const labels = r.stringMap(tmeta['labels'], 'spec.template.metadata.labels') ?? {};
  const annotations = r.stringMap(tmeta['annotations'], 'spec.template.metadata.annotations') ?? {};
  const podMeta: ObjectMeta = { ...meta, labels, annotations };
  const replicas = kind === 'Job' ? r.integer(spec['parallelism'], 'spec.parallelism') ?? 1 : r.integer(spec['replicas'], 'spec.replicas') ?? 1;
  const selector = readSelector(r, spec['selector'], 'spec.selector');
  return { kind, meta, replicas, ...(selector ? { selector } : {}), template: readPodTemplate(r, podMeta, template['spec'], 'spec.template.spec') };
}

export function readService(r: FieldReader, meta: ObjectMeta, obj: Obj): Service {
  const spec = r.map(obj['spec'], 'spec') ?? {};
  const ips = r.strings(spec['clusterIPs'], 'spec.clusterIPs') ?? [];
  const ip = r.string(spec['clusterIP'], 'spec.clusterIP');
  if (ip && !ips.includes(ip)) ips.unshift(ip);
  const ports = (r.list(spec['ports'], 'spec.ports') ?? []).flatMap((p, i): ServicePort[] => {
    const pm = r.map(p, `spec.ports.${i}`) ?? {};
    const port = r.integer(pm['port'], `spec.ports.${i}.port`);
    if (port === undefined) return [];
    const tp = pm['targetPort'];
    const targetPort = typeof tp === 'number' || typeof tp === 'string' ? tp : port;
    const name = r.string(pm['name'], `spec.ports.${i}.name`);
    const appProtocol = r.string(pm['appProtocol'], `spec.ports.${i}.appProtocol`);
    return [{ port, targetPort, protocol: (r.string(pm['protocol'], `spec.ports.${i}.protocol`) ?? 'TCP') as ServicePort['protocol'], ...(name !== undefined ? { name } : {}), ...(appProtocol !== undefined ? { appProtocol } : {}) }];
  });
  const selector = r.stringMap(spec['selector'], 'spec.selector');
  const type = r.string(spec['type'], 'spec.type') ?? 'ClusterIP';
  const externalName = type === 'ExternalName' ? r.string(spec['externalName'], 'spec.externalName') : undefined;
  return {
    kind: 'Service', meta, clusterIPs: ips.filter((x) => x !== 'None' && x !== ''), ...(selector ? { selector } : {}), ports, type,
    ...(ips.includes('None') ? { headless: true } : {}), ...(externalName !== undefined ? { externalName } : {}),
  };
}

export function readNode(r: FieldReader, meta: ObjectMeta, obj: Obj): Node {
  const status = r.map(obj['status'], 'status') ?? {};
  const addresses = (r.list(status['addresses'], 'status.addresses') ?? []).flatMap((a, i) => {
    const am = r.map(a, `status.addresses.${i}`) ?? {};
    const type = r.string(am['type'], `status.addresses.${i}.type`);
    const address = r.string(am['address'], `status.addresses.${i}.address`);
    return (type === 'InternalIP' || type === 'ExternalIP') && address ? [address] : [];
  });
  return { kind: 'Node', meta, addresses };
}

export function readGateway(r: FieldReader, meta: ObjectMeta, obj: Obj): Gateway {
  const spec = r.map(obj['spec'], 'spec') ?? {};
  const status = r.map(obj['status'], 'status') ?? {};
  const listeners = (r.list(spec['listeners'], 'spec.listeners') ?? []).map((l, i): GatewayListener => {
    const lm = r.map(l, `spec.listeners.${i}`) ?? {};
    const ns = r.map(r.map(lm['allowedRoutes'], `spec.listeners.${i}.allowedRoutes`)?.['namespaces'], `spec.listeners.${i}.allowedRoutes.namespaces`);
    const from = (ns ? r.string(ns['from'], `spec.listeners.${i}.allowedRoutes.namespaces.from`) : undefined) ?? 'Same';
    const selector = ns ? readSelector(r, ns['selector'], `spec.listeners.${i}.allowedRoutes.namespaces.selector`) : undefined;
    return {
      name: r.string(lm['name'], `spec.listeners.${i}.name`) ?? '', port: r.integer(lm['port'], `spec.listeners.${i}.port`) ?? 0,
      protocol: r.string(lm['protocol'], `spec.listeners.${i}.protocol`) ?? '',
      allowedRoutesFrom: (['Same', 'All', 'Selector'].includes(from) ? from : 'Same') as GatewayListener['allowedRoutesFrom'],
      ...(selector ? { allowedRoutesSelector: selector } : {}),
    };
  });
  const statusAddresses = (r.list(status['addresses'], 'status.addresses') ?? []).flatMap((a, i) => r.string(r.map(a, `status.addresses.${i}`)?.['value'], `status.addresses.${i}.value`) ?? []);
  return { kind: 'Gateway', meta, gatewayClassName: r.string(spec['gatewayClassName'], 'spec.gatewayClassName') ?? '', listeners, statusAddresses };
}

export function readGatewayClass(r: FieldReader, meta: ObjectMeta, obj: Obj): GatewayClass {
  const spec = r.map(obj['spec'], 'spec') ?? {};
  return { kind: 'GatewayClass', meta, controllerName: r.string(spec['controllerName'], 'spec.controllerName') ?? '' };
}
