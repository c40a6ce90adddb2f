/**
 * deploy/ (the kustomize base for AKS) as Kubernetes would take it: rendered by `kubectl kustomize`, every
 * object validated against the Kubernetes API's OpenAPI schemas (the validators kubernetes-models ships),
 * then what the base promises: replicas, probes, workload identity, non-root and read-only, session
 * affinity, disruption budget and autoscaler, and config that our CLI parses together with the Dockerfile's
 * ENTRYPOINT. `kubectl apply --dry-run=client` is not used: it needs a cluster's API discovery.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseCommand } from '../../src/cli-command.js';
import { FLAGS } from '../../src/config.js';
import { ROOT } from '../helpers/cli.js';
import { execForm, parseDockerfile } from '../helpers/dockerfile.js';

const KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const validators: Record<string, (o: unknown) => void> = {
    'v1/Namespace': o => new Namespace(o as never).validate(),
    'v1/ServiceAccount': o => new ServiceAccount(o as never).validate(),
    'v1/ConfigMap': o => new ConfigMap(o as never).validate(),
    'v1/Service': o => new Service(o as never).validate(),
    'apps/v1/Deployment': o => new Deployment(o as never).validate(),
    'policy/v1/PodDisruptionBudget': o => new PodDisruptionBudget(o as never).validate(),
    'autoscaling/v2/HorizontalPodAutoscaler': o => new HorizontalPodAutoscaler(o as never).validate()
};

interface K8sObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    [k: string]: unknown;
}

// Typed views of the fields the checks read (the schema validation has vouched for their shapes).
interface Probe { httpGet?: { path: string; port: string | number } }
interface Container {
    image: string;
    ports: { name: string; containerPort: number }[];
    envFrom: { configMapRef?: { name: string } }[];
    env: { name: string; value?: string }[];
    volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
    resources: { requests: Record<string, string>; limits: Record<string, string> };
    securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean; runAsNonRoot: boolean; capabilities: { drop: string[] } };
    startupProbe?: Probe;
    readinessProbe?: Probe;
    livenessProbe?: Probe;
}
interface PodSpec {
    serviceAccountName: string;
    securityContext: { runAsNonRoot: boolean; runAsUser: number; seccompProfile: { type: string } };
    containers: Container[];
    volumes: { name: string; secret?: { secretName: string }; emptyDir?: object }[];
}

let objects: K8sObject[] = [];
const find = (kind: string) => {
    const o = objects.find(x => x.kind === kind);
    if (!o) throw new Error(`the rendered base has no ${kind}`);
    return o;
};
const deployment = () => find('Deployment') as K8sObject & { spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } };
const container = (): Container => {
    const c = deployment().spec.template.spec.containers[0];
    if (!c) throw new Error('the Deployment has no container');
    return c;
};
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe.skipIf(!KUBECTL)('deploy/ kustomize base (skipped: kubectl, which renders it, is not installed)', () => {
    beforeAll(() => {
        const rendered = execFileSync('kubectl', ['kustomize', join(ROOT, 'deploy')], { encoding: 'utf8' });
        objects = yaml.loadAll(rendered) as K8sObject[];
    });

    it('renders objects that all validate against the Kubernetes API schemas', () => {
        expect(objects.map(o => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Namespace', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
        for (const o of objects) {
            const validate = validators[`${o.apiVersion}/${o.kind}`];
            expect(validate, `${o.apiVersion} ${o.kind} has a validator`).toBeDefined();
            validate?.(o);
            if (o.kind !== 'Namespace') expect(o.metadata.namespace, o.kind).toBe('acr-streaming-mcp');
        }
        // The validator is not vacuous: a wrong type is refused.
        const broken = structuredClone(deployment());
        (broken.spec as { replicas: unknown }).replicas = 'two';
        expect(() => validators['apps/v1/Deployment']?.(broken)).toThrow(/replicas/);
    });

    it('runs at least two replicas, spread, and a disruption budget and autoscaler that keep two', () => {
        const d = deployment();
        expect(d.spec.replicas).toBeGreaterThanOrEqual(2);
        expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
        const pdb = find('PodDisruptionBudget') as K8sObject & { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } };
        expect(matches(pdb.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
        expect(pdb.spec.minAvailable).toBeLessThan(d.spec.replicas);
        const hpa = find('HorizontalPodAutoscaler') as K8sObject & { spec: { minReplicas: number; maxReplicas: number; scaleTargetRef: { kind: string; name: string } } };
        expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: d.metadata.name });
        expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
        expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    });

    it('uses workload identity: service account annotation, pod label, and no API token mounted', () => {
        const d = deployment();
        const sa = find('ServiceAccount') as K8sObject & { automountServiceAccountToken: boolean };
        expect(d.spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
        expect(sa.metadata.annotations?.['azure.workload.identity/client-id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(d.spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
        expect(sa.automountServiceAccountToken).toBe(false);
    });

    it('runs non-root with a read-only root filesystem, no privilege escalation and no capabilities', () => {
        const pod = deployment().spec.template.spec;
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
        expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
        expect(container().securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
        // The one writable place is an emptyDir at TMPDIR (Node's compile cache and temporary files).
        const tmp = container().volumeMounts.find(m => m.mountPath === '/tmp');
        expect(pod.volumes.find(v => v.name === tmp?.name)?.emptyDir).toBeDefined();
        expect(container().env.find(e => e.name === 'TMPDIR')?.value).toBe('/tmp');
        const ns = find('Namespace');
        expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    });

    it('probes /healthz on the port the server listens on, and sets requests and limits', () => {
        const c = container();
        const port = c.ports.find(p => p.name === 'http');
        for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) expect(probe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
        const config = (find('ConfigMap') as K8sObject & { data: Record<string, string> }).data;
        expect(port?.containerPort).toBe(Number(config['ACR_STREAMING_MCP_PORT']));
        for (const r of ['cpu', 'memory']) {
            expect(c.resources.requests[r], `requests.${r}`).toBeTruthy();
            expect(c.resources.limits[r], `limits.${r}`).toBeTruthy();
        }
    });

    it('configures the image ENTRYPOINT through the ConfigMap into a server the CLI accepts, key from the Secret', () => {
        const c = container();
        const configMap = find('ConfigMap') as K8sObject & { data: Record<string, string> };
        expect(c.envFrom.map(e => e.configMapRef?.name)).toContain(configMap.metadata.name);
        const env: Record<string, string> = { ...configMap.data };
        for (const e of c.env) if (e.value !== undefined) env[e.name] = e.value;
        const entrypoint = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).filter(i => i.op === 'ENTRYPOINT').map(i => execForm(i.args)).pop() ?? [];
        const parsed = parseCommand(entrypoint.slice(2), env);
        if (parsed.kind !== 'serve') throw new Error(`the CLI refuses this configuration: ${JSON.stringify(parsed)}`);
        expect(parsed.config).toMatchObject({ transport: 'http', host: '0.0.0.0', auth: 'entra' });
        // Every replica reads the same confirmation key, from the mounted Secret.
        const key = parsed.config.confirmationKey ?? '';
        const mount = c.volumeMounts.find(m => key.startsWith(`file:${m.mountPath}/`));
        expect(mount?.readOnly).toBe(true);
        expect(deployment().spec.template.spec.volumes.find(v => v.name === mount?.name)?.secret?.secretName).toBeTruthy();
        expect(c.image).toMatch(/^acr-streaming-mcp:\d+\.\d+\.\d+$/);
        // In-cluster clients reach the Service by its DNS names: the Host check must accept each of them.
        const svc = find('Service');
        const ns = svc.metadata.namespace ?? '';
        expect(parsed.config.allowedHost).toEqual(expect.arrayContaining([svc.metadata.name, `${svc.metadata.name}.${ns}`, `${svc.metadata.name}.${ns}.svc`, `${svc.metadata.name}.${ns}.svc.cluster.local`]));
    });

    it('keeps a 2025-era client on the replica holding its session, for as long as the server keeps it', () => {
        const svc = find('Service') as K8sObject & { spec: { sessionAffinity: string; sessionAffinityConfig: { clientIP: { timeoutSeconds: number } }; selector: Record<string, string>; ports: { targetPort: string }[] } };
        expect(svc.spec.sessionAffinity).toBe('ClientIP');
        expect(matches(svc.spec.selector, deployment().spec.template.metadata.labels)).toBe(true);
        expect(svc.spec.ports[0]?.targetPort).toBe('http');
        const config = (find('ConfigMap') as K8sObject & { data: Record<string, string> }).data;
        const idle = FLAGS.httpSessionIdleSeconds.schema.parse(config['ACR_STREAMING_MCP_HTTP_SESSION_IDLE_SECONDS']);
        expect(svc.spec.sessionAffinityConfig.clientIP.timeoutSeconds).toBeGreaterThanOrEqual(idle);
    });
});
