// The part of node-red-node-test-helper these tests use (it ships no types).
declare module 'node-red-node-test-helper' {
  interface LogSpy {
    args: [{ level: number; id?: string; msg?: unknown }][];
  }
  const helper: {
    init(nodeRedPath: string, settings?: Record<string, unknown>): void;
    settings(settings: Record<string, unknown>): Record<string, unknown>;
    load(nodes: unknown, flow: Record<string, unknown>[]): Promise<void>;
    unload(): Promise<void>;
    getNode(id: string): unknown;
    log(): LogSpy;
  };
  export default helper;
}
