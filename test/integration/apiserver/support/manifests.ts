/** Manifests the kubectl tests apply, as a user would write them. */
export function jobYaml(
  name: string,
  opts: { instances?: number; labels?: Record<string, string>; extra?: string } = {},
): string {
  const labels = Object.entries(opts.labels ?? { app: name })
    .map(([k, v]) => `    ${k}: ${v}`)
    .join('\n');
  return `apiVersion: borealis.dev/v1
kind: Job
metadata:
  name: ${name}
  labels:
${labels}
spec:
  environment: prod
  instances: ${opts.instances ?? 2}
  task:
    command: "sleep 3600"
    resources: { cpus: 0.1, ramMb: 16, diskMb: 16 }
${opts.extra ?? ''}`;
}

/** The parts of a Job the tests read back. */
export interface JobJson {
  kind: string;
  metadata: {
    name: string;
    generation: number;
    resourceVersion: string;
    uid: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
    finalizers?: string[];
    managedFields?: { manager: string; operation: string; fieldsV1: Record<string, unknown> }[];
  };
  spec: { instances: number; tier: string; priority?: number };
  status?: { observedGeneration?: number };
}
