// The part of Node-RED's embedding API the gateway uses (node-red ships no types).
declare module 'node-red' {
  import type { Server, IncomingMessage, ServerResponse } from 'node:http';
  type Handler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  interface FlowsApi {
    getFlows(opts: Record<string, unknown>): Promise<{ rev: string; flows: Record<string, unknown>[] }>;
    setFlows(opts: {
      flows: { flows: Record<string, unknown>[]; credentials?: Record<string, unknown> };
      deploymentType?: 'full' | 'nodes' | 'flows' | 'reload';
      user?: unknown;
    }): Promise<{ rev: string }>;
  }
  interface NodesApi {
    getNodeList(
      opts: Record<string, unknown>,
    ): Promise<{ id: string; types: string[]; enabled: boolean; err?: string }[]>;
  }
  const RED: {
    init(server: Server, settings: Record<string, unknown>): void;
    start(): Promise<void>;
    stop(): Promise<void>;
    httpAdmin: Handler;
    httpNode: Handler;
    runtime: { flows: FlowsApi; nodes: NodesApi };
    events: { on(e: string, l: (...a: unknown[]) => void): void; off(e: string, l: (...a: unknown[]) => void): void };
    version(): string;
  };
  export default RED;
}
