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
