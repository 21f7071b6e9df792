// @alicloud/fc2 ships no types: the part of it we use.
declare module '@alicloud/fc2/lib/client' {
  interface FcClientConfig {
    accessKeyID: string;
    accessKeySecret: string;
    securityToken?: string;
    region: string;
    endpoint?: string;
    secure?: boolean;
    internal?: boolean;
    timeout?: number;
  }
  export default class FCClient {
    constructor(accountId: string, config: FcClientConfig);
    invokeFunction(
      serviceName: string,
      functionName: string,
      event: string | Buffer,
      headers?: Record<string, string>,
      qualifier?: string,
    ): Promise<{ headers: Record<string, string>; data: unknown }>;
    getFunction(
      serviceName: string,
      functionName: string,
    ): Promise<{ headers: Record<string, string>; data: unknown }>;
  }
}
