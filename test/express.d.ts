// express ships no types and @types/express is not a dependency: the OAuth test server (helpers/mcp-servers.ts) uses it untyped.
declare module "express";
