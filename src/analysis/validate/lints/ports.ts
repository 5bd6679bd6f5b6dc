import type { AuthorizationPolicy } from '../../../model/cluster.js';
import type { Workload } from '../../../model/mesh.js';
import { display } from '../../../istiod/admission/report-problem.js';
import { isZtunnelBound, listSome, type LintContext, type LintReport, type PolicyLint } from './lint-context.js';

/** Every port value of a policy with the field path it was written at: `ports`, `notPorts`, `destination.port`. */
function portsOf(policy: AuthorizationPolicy): { port: number; path: string }[] {
  const out: { port: number; path: string }[] = [];
  const add = (v: string, path: string): void => {
    if (/^\d+$/.test(v)) out.push({ port: Number(v), path });
  };
  (policy.spec.rules ?? []).forEach((rule, i) => {
    (rule.to ?? []).forEach((t, j) => {
      for (const f of ['ports', 'notPorts'] as const) (t.operation?.[f] ?? []).forEach((v, k) => add(v, `spec.rules.${i}.to.${j}.operation.${f}.${k}`));
    });
    (rule.when ?? []).forEach((c, j) => {
      if (c.key !== 'destination.port') return;
      (c.values ?? []).forEach((v, k) => add(v, `spec.rules.${i}.when.${j}.values.${k}`));
      (c.notValues ?? []).forEach((v, k) => add(v, `spec.rules.${i}.when.${j}.notValues.${k}`));
    });
  });
  return out;
}

/**
 * Pitfall 4: ztunnel authorizes the real upstream port, so ports in ztunnel policies are container ports
 * (inbound.rs "swap with the real port"). A port that is only a Service port of the targets never matches.
 * Pitfall 9: ztunnel captures TCP only, so a port that is only a UDP container port is never authorized.
 */
export const ztunnelPorts: PolicyLint = (policy, ctx, report) => {
  if (!ctx.hasInventory || !isZtunnelBound(policy)) return;
  const targets = ctx.targetsOf(policy).filter((w) => w.enrollment === 'ambient');
  if (targets.length === 0) return;
  const tcp = new Set<number>();
  const udp = new Set<number>();
  for (const w of targets) for (const p of w.ports) (p.protocol === 'TCP' ? tcp : udp).add(p.containerPort);
  for (const { port, path } of portsOf(policy)) {
    if (tcp.has(port)) continue;
    if (udp.has(port)) {
      report('ztunnel-udp-port', path, `port ${port} in ${display(path)} is a UDP container port of the selected workloads; ztunnel captures only TCP, so no policy applies to that traffic and this port never matches. Remove it, or protect the UDP traffic another way (NetworkPolicy)`);
      continue;
    }
    servicePortFinding(port, path, targets, ctx, report);
  }
};

function servicePortFinding(port: number, path: string, targets: readonly Workload[], ctx: LintContext, report: LintReport): void {
  const hits: string[] = [];
  for (const w of targets) {
    for (const svc of ctx.index.servicesByEndpoint.get(w.uid) ?? []) {
      for (const p of svc.ports) {
        if (p.port !== port || p.targetPort === port) continue;
        const target = typeof p.targetPort === 'number' ? p.targetPort : w.ports.find((c) => c.name === p.targetPort)?.containerPort ?? p.targetPort;
        const hit = `Service ${svc.key} port ${port} → ${target}`;
        if (!hits.includes(hit)) hits.push(hit);
      }
    }
  }
  if (hits.length === 0) return;
  report('ztunnel-service-port', path, `port ${port} in ${display(path)} is a Service port (${listSome(hits, 2)}), but ztunnel sees the container port the Service forwards to, so this never matches that traffic. Write the container port (targetPort) instead`);
}
