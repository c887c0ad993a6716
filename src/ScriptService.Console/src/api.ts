// The console talks to ScriptService's own scriptdsl.v1 API through gRPC-Web on the console's origin
// (Grpc.AspNetCore.Web on the server); there is no second, hand-written API.
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { ScriptService } from "./gen/scriptdsl/v1/script_service_pb.js";

const keyStorage = "scriptdsl.console.apiKey";

export function apiKey(): string {
  return localStorage.getItem(keyStorage) ?? "";
}

export function setApiKey(key: string): void {
  if (key) localStorage.setItem(keyStorage, key);
  else localStorage.removeItem(keyStorage);
}

// The same per-shop keys as every other client: "authorization: Bearer <key>" metadata.
const withKey: Interceptor = (next) => async (req) => {
  const key = apiKey();
  if (key) req.header.set("authorization", `Bearer ${key}`);
  return next(req);
};

export const api: Client<typeof ScriptService> = createClient(
  ScriptService,
  createGrpcWebTransport({ baseUrl: location.origin, interceptors: [withKey], defaultTimeoutMs: 15000 }),
);
