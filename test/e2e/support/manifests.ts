/** Job manifests for the end-to-end tests, as users write them. */

export interface JobOptions {
  readonly namespace: string;
  readonly name: string;
  readonly instances: number;
  readonly command: string;
  readonly service?: boolean;
  readonly maxTaskFailures?: number;
  readonly cpus?: number;
  readonly constraints?: string;
  readonly healthCheck?: boolean;
  readonly tier?: string;
}

export function namespaceYaml(name: string): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
}

export function jobYaml(o: JobOptions): string {
  return [
    'apiVersion: borealis.dev/v1',
    'kind: Job',
    'metadata:',
    `  name: ${o.name}`,
    `  namespace: ${o.namespace}`,
    'spec:',
    '  environment: prod',
    `  instances: ${o.instances}`,
    `  service: ${o.service ?? true}`,
    `  tier: ${o.tier ?? 'preferred'}`,
    `  maxTaskFailures: ${o.maxTaskFailures ?? 1}`,
    '  task:',
    `    command: ${JSON.stringify(o.command)}`,
    `    resources: {cpus: ${o.cpus ?? 0.1}, ramMb: 32, diskMb: 32, ports: [http]}`,
    ...(o.constraints ? [`    constraints: ${o.constraints}`] : []),
    ...(o.healthCheck
      ? [
          '    healthCheck:',
          '      http: {port: http, path: /}',
          '      initialDelaySeconds: 1',
          '      intervalSeconds: 1',
          '      timeoutSeconds: 1',
          '      maxConsecutiveFailures: 3',
        ]
      : []),
    '',
  ].join('\n');
}

/** A small HTTP server on the task's named port that answers with the task's instance env. */
export const HTTP_SERVER = 'python3 -m http.server $PORT_HTTP --bind 127.0.0.1';
